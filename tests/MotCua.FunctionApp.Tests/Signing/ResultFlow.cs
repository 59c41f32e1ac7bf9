using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests.Signing;

/// <summary>A result's way through the API, as the specialist's and the chairman's apps take it.</summary>
public static class ResultFlow
{
    public static async Task<string> ReadyForResultAsync(TestApp app)
    {
        var code = await SubmitRegisteredAsync(app);
        await DoAsync(app, code, "accept", Users.Clerk);
        await DoAsync(app, code, "hand-over", Users.Clerk);
        return code;
    }

    public static byte[] ResultPdf(string code) =>
        SignedPdfBuilder.CreatePdf(["UY BAN NHAN DAN PHUONG NHA TRANG", "GIAY KHAI SINH", $"Ho so {code}"], pages: 2);

    public static async Task<HttpResponseMessage> AttachAsync(TestApp app, string code, CurrentUser user, byte[] pdf, string fileName = "giay-khai-sinh.pdf")
    {
        var content = new ByteArrayContent(pdf);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        return await app.Http.SendAsync(app.Request(HttpMethod.Put, $"/api/dossiers/{code}/result?fileName={Uri.EscapeDataString(fileName)}", user, content));
    }

    /// <summary>Prepares the result for the phone's key, signs what it gets (or what <paramref name="tamper"/> makes of it) and approves.</summary>
    public static async Task<Answer> ApproveAsync(TestApp app, string code, CertifiedPhone phone, Func<byte[], byte[]>? tamper = null)
    {
        using var prepared = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/dossiers/{code}/result/signing", Users.Chairman,
            JsonContent.Create(new { keyId = phone.KeyId })));
        Assert.Equal(HttpStatusCode.OK, prepared.StatusCode);
        var preparation = JsonDocument.Parse(await prepared.Content.ReadAsStringAsync()).RootElement;
        var digest = Convert.FromBase64String(preparation.GetProperty("digestToSign").GetString()!);
        Assert.Equal(digest, SHA256.HashData(Convert.FromBase64String(preparation.GetProperty("signedAttributes").GetString()!)));
        var resultSignature = phone.SignDigest((tamper ?? (d => d))(digest));

        var current = await GetAsync(app, code, Users.Chairman);
        var version = current.Body.GetProperty("version").GetInt32();
        var statement = phone.SignStatement(code, "approve", version, DateTimeOffset.UtcNow, "Đồng ý");
        return await ActAsync(app, code, "approve", Users.Chairman, new
        {
            comment = "Đồng ý",
            signature = statement,
            resultSignature = new { preparationId = preparation.GetProperty("preparationId").GetString(), value = Convert.ToBase64String(resultSignature) },
        }, current.ETag);
    }

    public static async Task<JsonElement> ResultAsync(TestApp app, string code, CurrentUser user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}/result", user));
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }

}
