using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>An incoming document's way through the API, as a records clerk, a leader's phone and handlers drive it.</summary>
public static class IncomingFlow
{
    public const string Ward = DemoData.NhaTrangWard;
    public const string Sender = DemoData.Province;

    /// <summary>The province's records clerk, who sends its documents to the ward electronically.</summary>
    public static readonly CurrentUser SenderClerk = new("records-clerk-900", "Phan Thị Lệ", Roles.RecordsClerk, DemoData.Province);

    public sealed record Answer(HttpStatusCode Status, JsonElement Body, string? ETag)
    {
        public int Version => Body.GetProperty("version").GetInt32();

        public string StatusCode => Body.GetProperty("status").GetProperty("code").GetString()!;
    }

    public static object Letter(string number = "125", string notation = "UBND-VP", int priority = 0, string? date = null) => new
    {
        senderId = Sender,
        senderName = "Ủy ban nhân dân tỉnh Khánh Hòa",
        number,
        notation,
        documentDate = date ?? DateTime.UtcNow.ToString("yyyy-MM-dd"),
        documentType = "Công văn",
        summary = "V/v triển khai kế hoạch chuyển đổi số năm 2027",
        priority,
    };

    public static MultipartFormDataContent Form(object? incoming, params (string FileName, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        if (incoming is not null) form.Add(JsonContent.Create(incoming), "incoming");
        foreach (var (fileName, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(part, "document", fileName);
        }
        return form;
    }

    public static async Task<HttpResponseMessage> SendElectronicAsync(TestApp app, object incoming, byte[] pdf, CurrentUser? by = null, string agency = Ward) =>
        await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/agencies/{agency}/incoming/electronic", by ?? SenderClerk, Form(incoming, ("cong-van.pdf", pdf))));

    public static async Task<string> ArriveAsync(TestApp app, object incoming, byte[] pdf)
    {
        using var response = await SendElectronicAsync(app, incoming, pdf);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<Answer> GetAsync(TestApp app, string id, CurrentUser user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/incoming/{id}", user));
        return await AnswerOf(response);
    }

    /// <summary>The document once the pipeline has checked all its files.</summary>
    public static Task<Answer> CheckedAsync(TestApp app, string id, CurrentUser user) => Eventually.GetAsync(async () =>
    {
        var answer = await GetAsync(app, id, user);
        var files = answer.Body.GetProperty("files");
        return files.GetArrayLength() > 0 && files.EnumerateArray().All(f => f.GetProperty("stage").GetString() == "recorded")
            && answer.Body.GetProperty("history").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "file-checked") == files.GetArrayLength()
            ? answer : null;
    }, $"the files of {id} to be checked");

    public static async Task<Answer> StepAsync(TestApp app, string id, string step, CurrentUser user, object? body, string? etag)
    {
        var request = app.Request(HttpMethod.Post, $"/api/incoming/{id}/{step}", user, body is null ? null : JsonContent.Create(body));
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var response = await app.Http.SendAsync(request);
        return await AnswerOf(response);
    }

    /// <summary>The direction statement, written out here from mobile-contracts independently of the server.</summary>
    public static string DirectionStatement(IEnumerable<(string Id, int Version)> documents, string lead, string[] coHandlers, string[] informed, string due,
        string? onBehalfOf, DateTimeOffset signedAt, string comment) =>
        string.Join('\n', new[] { "MOTCUA-DIRECTION-V1" }
            .Concat(documents.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => $"document:{d.Id}@{d.Version}"))
            .Concat([
                $"lead:{lead}",
                $"co-handlers:{string.Join(',', coHandlers.Order(StringComparer.Ordinal))}",
                $"informed:{string.Join(',', informed.Order(StringComparer.Ordinal))}",
                $"due:{due}",
                $"on-behalf-of:{onBehalfOf}",
                $"signed-at:{signedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z",
                $"comment-sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(comment)))}",
            ]));

    public static object Direction(Phone phone, IReadOnlyList<(string Id, int Version)> documents, string lead, string due, string comment,
        string[]? coHandlers = null, string[]? informed = null, string? onBehalfOf = null, bool batch = false)
    {
        var signedAt = DateTimeOffset.UtcNow;
        var signature = phone.SignText(DirectionStatement(documents, lead, coHandlers ?? [], informed ?? [], due, onBehalfOf, signedAt, comment), signedAt);
        return new
        {
            documents = batch ? documents.Select(d => new { id = d.Id, version = d.Version }).ToArray() : null,
            lead,
            coHandlers = coHandlers ?? [],
            informed = informed ?? [],
            dueDate = due,
            comment,
            onBehalfOf,
            signature,
        };
    }

    /// <summary>A direction signed at <paramref name="signedAt"/>, for an app that runs on a fake clock (the signing time must be near the server's).</summary>
    public static object DirectionSignedAt(Phone phone, DateTimeOffset signedAt, IReadOnlyList<(string Id, int Version)> documents, string lead, string due, string comment,
        string[]? coHandlers = null, string[]? informed = null)
    {
        var signature = phone.SignText(DirectionStatement(documents, lead, coHandlers ?? [], informed ?? [], due, null, signedAt, comment), signedAt);
        return new { lead, coHandlers = coHandlers ?? [], informed = informed ?? [], dueDate = due, comment, signature };
    }

    /// <summary>The user's inbox entries about one incoming document, newest first.</summary>
    public static async Task<IReadOnlyList<NotificationView>> NoticesAsync(TestApp app, CurrentUser user, string documentId)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/me/notifications?pageSize=100", user));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var page = await response.Content.ReadFromJsonAsync<InboxPage>(JsonSerializerOptions.Web);
        return [.. page!.Items.Where(n => n.DocumentId == documentId)];
    }

    /// <summary>Waits until the user's inbox holds an entry of <paramref name="kind"/> about the document, and returns every such entry.</summary>
    public static Task<IReadOnlyList<NotificationView>> NoticesOfKindAsync(TestApp app, CurrentUser user, string documentId, string kind, int atLeast = 1) =>
        Eventually.GetAsync(async () =>
        {
            var found = (await NoticesAsync(app, user, documentId)).Where(n => n.Kind == kind).ToList();
            return found.Count >= atLeast ? (IReadOnlyList<NotificationView>)found : null;
        }, $"{user.Id}'s {kind} notice about {documentId}");

    public static string InWorkingDays(int days)
    {
        var day = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
        while (days > 0)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) days--;
        }
        return day.ToString("yyyy-MM-dd");
    }

    /// <summary>A paper letter with every field the register needs, as the records clerk types it in.</summary>
    public static object PaperLetter(string number, string summary, bool secret = false, int priority = 0, string sender = "Công an tỉnh Khánh Hòa",
        string notation = "CAT-PV01", string date = "2026-10-28") => new
    {
        senderName = sender,
        number,
        notation,
        documentDate = date,
        documentType = "Công văn",
        summary,
        priority,
        secret,
    };

    /// <summary>A paper document the records clerk takes in (with its scan, or none for a secret one); its id.</summary>
    public static async Task<string> ArrivePaperAsync(TestApp app, object incoming, params (string FileName, byte[] Bytes)[] files)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/agencies/{Ward}/incoming/paper", Users.RecordsClerk, Form(incoming, files)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Registers the document once its files (if any) are checked; the registered document.</summary>
    public static async Task<Answer> RegisterAsync(TestApp app, string id)
    {
        var current = await GetAsync(app, id, Users.RecordsClerk);
        if (current.Body.GetProperty("files").GetArrayLength() > 0) current = await CheckedAsync(app, id, Users.RecordsClerk);
        var registered = await StepAsync(app, id, "registration", Users.RecordsClerk, null, current.ETag);
        Assert.True(registered.Status == HttpStatusCode.OK, registered.Body.ToString());
        return registered;
    }

    /// <summary>A direction of one document signed at <paramref name="signedAt"/>: the app's own clock when the test sets it.</summary>
    public static object DirectionSignedAt(Phone phone, DateTimeOffset signedAt, (string Id, int Version) document, string lead, string due, string comment)
    {
        var signature = phone.SignText(DirectionStatement([document], lead, [], [], due, null, signedAt, comment), signedAt);
        return new { lead, coHandlers = Array.Empty<string>(), informed = Array.Empty<string>(), dueDate = due, comment, signature };
    }

    /// <summary>A GET whose answer is JSON (a problem or not).</summary>
    public static async Task<Answer> GetJsonAsync(TestApp app, string path, CurrentUser? user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, path, user));
        return await AnswerOf(response);
    }

    private static async Task<Answer> AnswerOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Answer(response.StatusCode, body, response.Headers.ETag?.ToString());
    }
}
