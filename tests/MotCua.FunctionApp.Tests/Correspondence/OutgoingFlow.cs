using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.FunctionApp.Tests.Signing;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>An outgoing document's way through the API, as the officer's, the department head's, the chairman's and the records clerk's apps take it.</summary>
public static class OutgoingFlow
{
    public const string Ward = DemoData.NhaTrangWard;
    public const string Commune = DemoData.CamLamCommune;

    public static object Letter(string summary = "V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026", string? answers = null, string[]? recipients = null,
        string? reviewer = null) => new
    {
        documentType = "Công văn",
        summary,
        recipients = (recipients ?? [Commune]).Select(r => r == "outside" ? (object)new { agency = "000.00.99.G01", name = "Bộ Văn hóa, Thể thao và Du lịch" } : new { agency = r })
            .ToArray(),
        signer = Users.Chairman.Id,
        reviewer,
        priority = 0,
        answersIncomingId = answers,
        otherRecipients = new[] { "Lưu: VT, VHXH." },
    };

    /// <summary>A letter as the drafting unit lays it out: "Số:" and the date line left blank for the records clerk.</summary>
    public static byte[] Pdf(string summary = "V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026") => OfficialLetters.Pdf(new OfficialLetter
    {
        Name = "cong-van",
        Agency = ["ỦY BAN NHÂN DÂN", "PHƯỜNG NHA TRANG"],
        Number = "        /UBND-VHXH",
        PlaceAndDate = "Nha Trang, ngày       tháng       năm 20",
        Summary = summary,
        Recipients = ["Kính gửi: Ủy ban nhân dân xã Cam Lâm."],
        Body = ["Ủy ban nhân dân phường Nha Trang đề nghị Ủy ban nhân dân xã Cam Lâm phối hợp tổ chức Ngày hội."],
    });

    public static async Task<Answer> DraftAsync(TestApp app, object form, CurrentUser? by = null, string agency = Ward)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/agencies/{agency}/outgoing", by ?? Users.Officer, JsonContent.Create(form)));
        return await AnswerOf(response);
    }

    public static async Task<Answer> PutDocumentAsync(TestApp app, string id, CurrentUser user, byte[] pdf, string? etag)
    {
        var content = new ByteArrayContent(pdf);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var request = app.Request(HttpMethod.Put, $"/api/outgoing/{id}/document?fileName=cong-van.pdf", user, content);
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var response = await app.Http.SendAsync(request);
        return await AnswerOf(response);
    }

    public static async Task<Answer> PutAttachmentAsync(TestApp app, string id, int number, CurrentUser user, byte[] pdf, string? etag)
    {
        var content = new ByteArrayContent(pdf);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var request = app.Request(HttpMethod.Put, $"/api/outgoing/{id}/attachments/{number}?fileName=phu-luc.pdf", user, content);
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var response = await app.Http.SendAsync(request);
        return await AnswerOf(response);
    }

    public static async Task<Answer> StepAsync(TestApp app, string id, string step, CurrentUser user, object? body, string? etag)
    {
        var request = app.Request(HttpMethod.Post, $"/api/outgoing/{id}/{step}", user, body is null ? null : JsonContent.Create(body));
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var response = await app.Http.SendAsync(request);
        return await AnswerOf(response);
    }

    public static async Task<Answer> GetAsync(TestApp app, string id, CurrentUser user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/outgoing/{id}", user));
        return await AnswerOf(response);
    }

    /// <summary>Prepares the signature for the phone's key and answers the phone's signature over it (or over what <paramref name="tamper"/> makes of the digest).</summary>
    public static async Task<object> PhoneSignatureAsync(TestApp app, string id, CertifiedPhone phone, CurrentUser signer, Func<byte[], byte[]>? tamper = null)
    {
        using var prepared = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/outgoing/{id}/signing", signer, JsonContent.Create(new { keyId = phone.KeyId })));
        var text = await prepared.Content.ReadAsStringAsync();
        Assert.True(prepared.StatusCode == HttpStatusCode.OK, text);
        var preparation = JsonDocument.Parse(text).RootElement;
        var digest = Convert.FromBase64String(preparation.GetProperty("digestToSign").GetString()!);
        return new { preparationId = preparation.GetProperty("preparationId").GetString(), value = Convert.ToBase64String(phone.SignDigest((tamper ?? (d => d))(digest))) };
    }

    /// <summary>Drafted by the officer, passed by the department head, signed on the chairman's phone: the signed document.</summary>
    public static async Task<Answer> SignedAsync(TestApp app, CertifiedPhone phone, object? form = null)
    {
        var drafted = await DraftAsync(app, form ?? Letter());
        Assert.True(drafted.Status == HttpStatusCode.Created, drafted.Body.ToString());
        var id = drafted.Body.GetProperty("id").GetString()!;
        var put = await PutDocumentAsync(app, id, Users.Officer, Pdf(), drafted.ETag);
        Assert.True(put.Status == HttpStatusCode.OK, put.Body.ToString());
        var submitted = await StepAsync(app, id, "submission", Users.Officer, null, put.ETag);
        var passed = await StepAsync(app, id, "review", Users.DepartmentHead, new { decision = "pass" }, submitted.ETag);
        Assert.True(passed.Status == HttpStatusCode.OK, passed.Body.ToString());
        var signature = await PhoneSignatureAsync(app, id, phone, Users.Chairman);
        var signed = await StepAsync(app, id, "approval", Users.Chairman, new { decision = "sign", signature }, passed.ETag);
        Assert.True(signed.Status == HttpStatusCode.OK, signed.Body.ToString());
        return signed;
    }

    public static Task<Answer> IssuedAsync(TestApp app, string id) => Eventually.GetAsync(async () =>
    {
        var answer = await GetAsync(app, id, Users.RecordsClerk);
        return answer.Body.GetProperty("status").GetProperty("code").GetString() == "issued" ? answer : null;
    }, $"{id} to be sealed and issued");

    public static JsonElement Recipient(Answer outgoing, string agency) =>
        outgoing.Body.GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("recipient").GetString() == agency);

    private static async Task<Answer> AnswerOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Answer(response.StatusCode, body, response.Headers.ETag?.ToString());
    }
}
