using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MotCua.FunctionApp.Auth;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>Drives dossiers through the API as officials, citizens and phones do.</summary>
public static class WorkflowApi
{
    public sealed record Answer(HttpStatusCode Status, JsonElement Body, string? ETag);

    public static async Task<Answer> GetAsync(TestApp app, string code, CurrentUser user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}", user));
        return await AnswerOf(response);
    }

    public static async Task<Answer> ActAsync(TestApp app, string code, string action, CurrentUser user, object? body = null, string? ifMatch = null, bool sendIfMatch = true)
    {
        if (sendIfMatch && ifMatch is null) ifMatch = (await GetAsync(app, code, user)).ETag ?? (await GetAsync(app, code, Users.Admin)).ETag;
        var request = app.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/{action}", user, body is null ? null : JsonContent.Create(body));
        if (sendIfMatch) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await app.Http.SendAsync(request);
        return await AnswerOf(response);
    }

    /// <summary>Acts and insists it worked.</summary>
    public static async Task<JsonElement> DoAsync(TestApp app, string code, string action, CurrentUser user, object? body = null)
    {
        var answer = await ActAsync(app, code, action, user, body);
        Assert.True(answer.Status == HttpStatusCode.OK, $"{action} by {user.Id}: {(int)answer.Status} {answer.Body}");
        return answer.Body;
    }

    public static async Task<string> SubmitRegisteredAsync(TestApp app, string procedure = "1.001193", Submission? submission = null)
    {
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen, submission ?? Submission.Valid(Submission.DossierJson(procedure: procedure)));
        await RegisteredAndCheckedAsync(app, submitted.Code);
        return submitted.Code;
    }

    /// <summary>
    /// Waits until the dossier is registered and its document checks are recorded: they are history entries too,
    /// so the version an action then names stays current.
    /// </summary>
    public static async Task RegisteredAndCheckedAsync(TestApp app, string code)
    {
        await Eventually.GetAsync(async () =>
        {
            var body = (await GetAsync(app, code, Users.Clerk)).Body;
            var checks = body.GetProperty("documentChecks");
            return Status(body) == 1 && checks.GetProperty("recorded").GetInt32() == checks.GetProperty("documents").GetInt32() ? "" : null;
        }, "registration and document checks");
        // The outcome step records the check on the dossier first and marks the document's own row after: wait for that too.
        await Eventually.GetAsync(async () =>
        {
            await foreach (var row in app.Tables.Documents.QueryAsync<Dossiers.DocumentEntity>(d => d.DossierCode == code))
                if (row.Stage != Documents.DocumentStages.Recorded) return null;
            return "";
        }, "documents marked recorded");
    }

    /// <summary>A registered dossier taken to the chairman's approval step.</summary>
    public static async Task<string> ReadyForApprovalAsync(TestApp app)
    {
        var code = await SubmitRegisteredAsync(app);
        foreach (var (action, user) in new[] { ("accept", Users.Clerk), ("hand-over", Users.Clerk), ("submit-for-approval", Users.Specialist) })
            await DoAsync(app, code, action, user);
        return code;
    }

    public static int Status(JsonElement dossier) => dossier.GetProperty("status").GetProperty("code").GetInt32();

    private static async Task<Answer> AnswerOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new Answer(response.StatusCode, body, response.Headers.ETag?.ToString());
    }
}

/// <summary>A chairman's phone: it holds a P-256 key and signs approvals in the documented statement format.</summary>
public sealed class Phone : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string PublicKey => Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());

    public string? KeyId { get; private set; }

    public async Task RegisterAsync(TestApp app, CurrentUser user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, "/api/me/device-keys", user,
            JsonContent.Create(new { deviceName = "iPhone của chủ tịch", publicKey = PublicKey })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        KeyId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("keyId").GetString();
    }

    /// <summary>The statement of mobile-contracts/approval-signature.md, written out here independently of the server.</summary>
    public object Sign(string code, string action, int version, DateTimeOffset signedAt, string comment, bool der = true)
    {
        var statement = "MOTCUA-APPROVAL-V1\n"
            + $"code:{code}\naction:{action}\nversion:{version}\n"
            + $"signed-at:{signedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z\n"
            + $"comment-sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(comment)))}";
        var signature = _key.SignData(Encoding.UTF8.GetBytes(statement), HashAlgorithmName.SHA256,
            der ? DSASignatureFormat.Rfc3279DerSequence : DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new { comment, signature = new { keyId = KeyId, signedAt, value = Convert.ToBase64String(signature) } };
    }

    /// <summary>A signature over any statement the server documents (a direction, for one), as the phone sends it.</summary>
    public object SignText(string statement, DateTimeOffset signedAt) => new
    {
        keyId = KeyId,
        signedAt,
        value = Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(statement), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
    };

    public void Dispose() => _key.Dispose();
}
