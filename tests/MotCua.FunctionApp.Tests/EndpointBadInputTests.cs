using System.Net;
using System.Text;
using System.Text.Json;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests;

/// <summary>Bad input on the workflow, document, search, catalogue, calendar and key endpoints: a 4xx problem, and nothing changed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EndpointBadInputTests
{
    public static TheoryData<string, string, string, string?, int> Cases => new()
    {
        // case, method, path ({code} is a registered dossier), body, status
        { "action body not json", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":", 400 },
        { "action body wrong type", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":42}", 400 },
        { "comment too long", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":\"" + new string('x', 2100) + "\"}", 400 },
        { "hand over to unknown unit", "POST", "/api/dossiers/{code}/actions/hand-over", "{\"targetUnit\":\"999.99.99.X\"}", 422 },
        { "malformed dossier code", "POST", "/api/dossiers/not-a-code/actions/accept", "{}", 400 },
        { "apology not json", "POST", "/api/dossiers/{code}/apology", "[1,2", 400 },
        { "unknown form", "GET", "/api/dossiers/{code}/forms/passport", null, 404 },
        { "device key not base64", "POST", "/api/me/device-keys", "{\"deviceName\":\"a\",\"publicKey\":\"%%%\"}", 400 },
        { "device key not p256", "POST", "/api/me/device-keys", "{\"deviceName\":\"a\",\"publicKey\":\"" + RsaKey() + "\"}", 400 },
        { "device key name control char", "POST", "/api/me/device-keys", "{\"deviceName\":\"a\\u0007\",\"publicKey\":\"" + P256Key() + "\"}", 400 },
        { "revoke unknown key", "DELETE", "/api/me/device-keys/abcdef", null, 404 },
        { "procedure workflow ends with approval", "PUT", "/api/procedures/9.000001", Procedure(workflowEndsWithApproval: true), 400 },
        { "procedure unknown unit", "PUT", "/api/procedures/9.000001", Procedure(unit: "999.99.99.X"), 400 },
        { "procedure bad code", "PUT", "/api/procedures/bad code!", Procedure(), 400 },
        { "procedure null unit", "PUT", "/api/procedures/9.000001", Procedure().Replace("[\"000.20.30.H56\"]", "[null]", StringComparison.Ordinal), 400 },
        { "calendar null holiday", "PUT", "/api/calendar/2027", "{\"year\":2027,\"holidays\":[null],\"workingDays\":[]}", 400 },
        { "statistics far future", "GET", "/api/units/000.20.30.H56/statistics?from=9999-12-01&to=9999-12-31", null, 400 },
        { "procedure stale version", "PUT", "/api/procedures/1.001193", Procedure(), 412 },
        { "calendar year mismatch", "PUT", "/api/calendar/2027", "{\"year\":2026,\"holidays\":[],\"workingDays\":[]}", 400 },
        { "calendar holiday in another year", "PUT", "/api/calendar/2027", "{\"year\":2027,\"holidays\":[{\"date\":\"2026-01-01\",\"name\":\"x\"}],\"workingDays\":[]}", 400 },
        { "unit with unknown parent", "PUT", "/api/units/000.99.99.H56", "{\"name\":\"Xã mới\",\"parent\":\"404.04.04.X\"}", 422 },
        { "statistics without dates", "GET", "/api/units/000.20.30.H56/statistics", null, 400 },
        { "upload request not json", "POST", "/api/dossiers/{code}/uploads", "{\"fileName\":", 400 },
        { "upload request without sha-256", "POST", "/api/dossiers/{code}/uploads", "{\"fileName\":\"a.pdf\",\"length\":10}", 400 },
        { "upload request bad sha-256", "POST", "/api/dossiers/{code}/uploads", "{\"fileName\":\"a.pdf\",\"length\":10,\"sha256\":\"xyz\"}", 400 },
        { "upload request path in name", "POST", "/api/dossiers/{code}/uploads", "{\"fileName\":\"../a.pdf\",\"length\":10,\"sha256\":\"" + new string('a', 64) + "\"}", 400 },
        { "upload request too large", "POST", "/api/dossiers/{code}/uploads", "{\"fileName\":\"a.pdf\",\"length\":1000000000000,\"sha256\":\"" + new string('a', 64) + "\"}", 413 },
        { "upload request unknown component", "POST", "/api/dossiers/{code}/uploads", "{\"fileName\":\"a.pdf\",\"component\":9,\"length\":10,\"sha256\":\"" + new string('a', 64) + "\"}", 422 },
        // Numbers are JSON numbers: a number written as a string is refused, as the published contract says.
        { "upload length as a string", "POST", "/api/dossiers/{code}/uploads", "{\"fileName\":\"a.pdf\",\"length\":\"10\",\"sha256\":\"" + new string('a', 64) + "\"}", 400 },
        { "calendar year as a string", "PUT", "/api/calendar/2027", "{\"year\":\"2027\",\"holidays\":[],\"workingDays\":[]}", 400 },
        { "procedure fee as a string", "PUT", "/api/procedures/9.000001", Procedure().Replace("\"fee\":0", "\"fee\":\"0\"", StringComparison.Ordinal), 400 },
        { "confirm unknown upload", "POST", "/api/dossiers/{code}/uploads/0123abcd/confirm", null, 404 },
        { "add documents not multipart", "POST", "/api/dossiers/{code}/documents", "{}", 415 },
        { "page of unknown document", "GET", "/api/dossiers/{code}/documents/abc/pages/1", null, 404 },
        { "search without words", "GET", "/api/search", null, 400 },
        { "search with too many words", "GET", "/api/search?q=mot+hai+ba+bon+nam+sau+bay+tam+chin", null, 400 },
        { "device body not json", "PUT", "/api/me/devices", "{\"token\":", 400 },
        { "device without token", "PUT", "/api/me/devices", "{\"platform\":\"android\"}", 400 },
        { "device token with spaces", "PUT", "/api/me/devices", "{\"token\":\"abc def ghi jkl mno pqr stu\",\"platform\":\"ios\"}", 400 },
        { "device unknown platform", "PUT", "/api/me/devices", "{\"token\":\"" + new string('t', 40) + "\",\"platform\":\"symbian\"}", 400 },
        { "device unknown locale", "PUT", "/api/me/devices", "{\"token\":\"" + new string('t', 40) + "\",\"platform\":\"ios\",\"locale\":\"fr\"}", 400 },
        { "remove unknown device", "DELETE", "/api/me/devices/abcdef", null, 404 },
        { "remove device with a key character", "DELETE", "/api/me/devices/ab%23cd", null, 404 },
        { "read unknown notification", "POST", "/api/me/notifications/0123-x/read", null, 404 },
        { "inbox page too large", "GET", "/api/me/notifications?pageSize=1000", null, 400 },
        // Parameters of the wrong type, unknown names and a missing role: each answered with a problem type the contract lists.
        { "inbox page size not a number", "GET", "/api/me/notifications?pageSize=many", null, 400 },
        { "worklist filter not a boolean", "GET", "/api/worklist?mine=maybe", null, 400 },
        { "page number not a number", "GET", "/api/dossiers/{code}/documents/abc/pages/one", null, 404 },
        { "unknown procedure", "GET", "/api/procedures/9.999999", null, 422 },
        { "procedure version not a number", "GET", "/api/procedures/1.001193?version=latest", null, 400 },
        { "calendar year not a number", "PUT", "/api/calendar/next", "{\"year\":2027,\"holidays\":[],\"workingDays\":[]}", 400 },
        { "dead letters for a clerk", "GET", "/api/admin/dead-letters/push-deliveries", null, 403 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_BadInput_AnswersProblemAndChangesNothing(string @case, string method, string path, string? body, int status)
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);
        var code = await SubmitRegisteredAsync(app);
        var before = await SnapshotAsync(app, code);
        var user = path.Contains("/procedures/") || path.Contains("/calendar/") || path.Contains("/units/000.99") ? Users.Admin
            : path.Contains("device-keys") || path.Contains("statistics") ? Users.Chairman
            : Users.Clerk;

        var request = app.Request(new HttpMethod(method), path.Replace("{code}", code), user,
            body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));
        request.Headers.TryAddWithoutValidation("If-Match", path.Contains("/procedures/") ? "\"0\"" : (await GetAsync(app, code, Users.Clerk)).ETag);
        using var response = await app.Http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{@case}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrEmpty(JsonDocument.Parse(text).RootElement.GetProperty("title").GetString()));
        Assert.Equal(before, await SnapshotAsync(app, code));
    }

    /// <summary>The dossier's version, the catalogue, keys and calendar rows, documents and blobs: what a bad request must not touch.</summary>
    internal static async Task<string> SnapshotAsync(TestApp app, string code)
    {
        var rows = new List<string> { (await GetAsync(app, code, Users.Clerk)).Body.GetProperty("version").ToString() };
        foreach (var table in new[] { app.Tables.Catalog, app.Tables.DeviceKeys, app.Tables.Documents, app.Tables.Devices })
        {
            await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>()) rows.Add($"{row.PartitionKey}/{row.RowKey}/{row.ETag}");
        }
        await foreach (var blob in app.Documents.GetBlobsAsync()) rows.Add(blob.Name);
        return string.Join('\n', rows.Order());
    }

    private static string P256Key()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    private static string RsaKey()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        return Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    private static string Procedure(bool workflowEndsWithApproval = false, string unit = "000.20.30.H56") => JsonSerializer.Serialize(new
    {
        name = "Thủ tục thử",
        field = "Thử nghiệm",
        receivingUnits = new[] { unit },
        components = new[] { new { name = "Đơn", original = true, mandatory = true, signatureRequired = false } },
        processingDays = 3,
        fee = 0,
        onlineLevel = "full",
        workflow = workflowEndsWithApproval
            ? new object[] { new { name = "Thụ lý", role = Roles.Specialist, unit = (string?)null, share = 0.7 }, new { name = "Phê duyệt", role = Roles.Chairman, unit = (string?)null, share = 0.3 } }
            : new object[] { new { name = "Thụ lý", role = Roles.Specialist, unit = (string?)null, share = 0.7 }, new { name = "Trả kết quả", role = Roles.Clerk, unit = (string?)null, share = 0.3 } },
    });
}
