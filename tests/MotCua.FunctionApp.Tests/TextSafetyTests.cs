using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// Stored text holds no noncharacters, lone surrogates, controls, bidirectional or zero-width
/// characters; JSON bodies have no unknown members and a size cap. Refusals are problems that name
/// the field or member, and nothing is written. Rows stored before still print.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TextSafetyTests
{
    private const string Sha = "\"sha256\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"";

    public static TheoryData<string, string, string, string, int, string> Cases => new()
    {
        // case, method, path ({code} is a registered dossier), body, status, the field or member the problem names
        { "noncharacter in a comment", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":\"Thiếu\\uFFFE giấy tờ\"}", 400, "comment" },
        { "bidirectional override in a comment", "POST", "/api/dossiers/{code}/actions/request-supplement", "{\"comment\":\"Bổ sung \\u202Efdp.exe\"}", 400, "comment" },
        { "bidirectional isolate in a comment", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":\"a\\u2067b\"}", 400, "comment" },
        { "zero-width space in a comment", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":\"Thiếu\\u200Bgiấy\"}", 400, "comment" },
        { "control character in a comment", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":\"Thiếu\\u0007\"}", 400, "comment" },
        { "noncharacter in a target unit", "POST", "/api/dossiers/{code}/actions/hand-over", "{\"targetUnit\":\"000.20.30.H56\\uFFFF\"}", 400, "targetUnit" },
        { "noncharacter in an apology", "POST", "/api/dossiers/{code}/apology", "{\"newDueDate\":\"2099-01-02\",\"reason\":\"Chờ\\uFFFE xác minh\"}", 400, "reason" },
        { "noncharacter in an upload's file name", "POST", "/api/dossiers/{code}/uploads", "{\"fileName\":\"a\\uFFFE.pdf\",\"length\":10," + Sha + "}", 400, "fileName" },
        { "override in an upload's file name", "POST", "/api/dossiers/{code}/uploads", "{\"fileName\":\"hoa-don\\u202Efdp.exe\",\"length\":10," + Sha + "}", 400, "fileName" },
        { "noncharacter in a device key's name", "POST", "/api/me/device-keys", "{\"deviceName\":\"iPhone\\uFFFE\",\"publicKey\":\"AAAA\"}", 400, "deviceName" },
        { "zero-width joiner in an app version", "PUT", "/api/me/devices", "{\"token\":\"" + new string('t', 40) + "\",\"platform\":\"ios\",\"appVersion\":\"1.0\\u200D\"}", 400, "appVersion" },
        { "noncharacter in a push token", "PUT", "/api/me/devices", "{\"token\":\"" + new string('t', 40) + "\\uFFFE\",\"platform\":\"ios\"}", 400, "token" },
        { "noncharacter in a procedure name", "PUT", "/api/procedures/9.000001", Procedure("Thủ tục\\uFFFE thử", "Đơn"), 400, "name" },
        { "override in a component name", "PUT", "/api/procedures/9.000001", Procedure("Thủ tục thử", "Đơn\\u202E"), 400, "components[0].name" },
        { "noncharacter in a unit name", "PUT", "/api/units/000.99.99.H56", "{\"name\":\"Xã\\uFFFE mới\"}", 400, "name" },
        { "noncharacter in a holiday name", "PUT", "/api/calendar/2027", "{\"year\":2027,\"holidays\":[{\"date\":\"2027-01-01\",\"name\":\"Tết\\uFFFE\"}],\"workingDays\":[]}", 400, "holidays[0].name" },
        { "unknown member in an action", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":\"Thiếu giấy tờ\",\"reason\":\"x\"}", 400, "reason" },
        { "unknown member in a signature", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":\"x\",\"signature\":{\"keyId\":\"k\",\"signedAt\":\"2026-01-01T00:00:00Z\",\"value\":\"AA==\",\"alg\":\"ES256\"}}", 400, "signature.alg" },
        { "unknown member in an apology", "POST", "/api/dossiers/{code}/apology", "{\"newDueDate\":\"2099-01-02\",\"reason\":\"Chờ xác minh\",\"notify\":true}", 400, "notify" },
        { "unknown member in an upload request", "POST", "/api/dossiers/{code}/uploads", "{\"fileName\":\"a.pdf\",\"length\":10," + Sha + ",\"contentType\":\"application/pdf\"}", 400, "contentType" },
        { "unknown member in a device key", "POST", "/api/me/device-keys", "{\"deviceName\":\"iPhone\",\"publicKey\":\"AAAA\",\"admin\":true}", 400, "admin" },
        { "unknown member in a device", "PUT", "/api/me/devices", "{\"token\":\"" + new string('t', 40) + "\",\"platform\":\"ios\",\"userId\":\"x\"}", 400, "userId" },
        { "unknown member in a unit", "PUT", "/api/units/000.99.99.H56", "{\"name\":\"Xã mới\",\"code\":\"x\"}", 400, "code" },
        { "unknown member in a holiday", "PUT", "/api/calendar/2027", "{\"year\":2027,\"holidays\":[{\"date\":\"2027-01-01\",\"name\":\"Tết\",\"paid\":true}],\"workingDays\":[]}", 400, "holidays[0].paid" },
        { "value of the wrong type", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":42}", 400, "comment" },
        { "oversized action", "POST", "/api/dossiers/{code}/actions/refuse", "{\"comment\":\"" + new string('x', 20_000) + "\"}", 413, "" },
        { "oversized apology", "POST", "/api/dossiers/{code}/apology", "{\"newDueDate\":\"2099-01-02\",\"reason\":\"" + new string('x', 20_000) + "\"}", 413, "" },
        { "oversized device", "PUT", "/api/me/devices", "{\"token\":\"" + new string('t', 20_000) + "\",\"platform\":\"ios\"}", 413, "" },
        { "noncharacter in a search", "GET", "/api/search?q=%EF%BF%BE", "", 400, "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_UnsafeTextOrStrayMember_AnswersProblemNamingItAndChangesNothing(string @case, string method, string path, string body, int status, string named)
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);
        var code = await SubmitRegisteredAsync(app);
        var before = await EndpointBadInputTests.SnapshotAsync(app, code);
        var user = path.Contains("/procedures/") || path.Contains("/calendar/") || path.Contains("/units/") ? Users.Admin
            : path.Contains("device-keys") ? Users.Chairman
            : Users.Clerk;

        foreach (var chunked in status == 413 ? new[] { false, true } : [false])
        {
            HttpContent? content = body.Length == 0 ? null : new StringContent(body, Encoding.UTF8, "application/json");
            if (chunked) content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) { Headers = { ContentType = new("application/json") } };
            var request = app.Request(new HttpMethod(method), path.Replace("{code}", code), user, content);
            request.Headers.TryAddWithoutValidation("If-Match", path.Contains("/procedures/") ? "\"0\"" : (await GetAsync(app, code, Users.Clerk)).ETag);
            using var response = await app.Http.SendAsync(request);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == (int)response.StatusCode, $"{@case} (chunked: {chunked}): {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
            if (named.Length > 0) Assert.Contains(named, Named(problem));
            foreach (var dotnet in new[] { "System.", "MotCua", ".NET", "ActionForm", "ApologyDetails", "UploadRequest", "DeviceRegistration", "CalendarYear", "Holiday", "UnitForm" })
                Assert.DoesNotContain(dotnet, text, StringComparison.Ordinal);
        }
        Assert.Equal(before, await EndpointBadInputTests.SnapshotAsync(app, code));
    }

    [Fact]
    public async Task Refusal_InEnglish_NamesTheFieldAndCharacter()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);
        var code = await SubmitRegisteredAsync(app);
        var request = app.Request(HttpMethod.Post, $"/api/dossiers/{code}/actions/refuse", Users.Clerk,
            new StringContent("{\"comment\":\"Thiếu\\uFFFE\"}", Encoding.UTF8, "application/json"));
        request.Headers.TryAddWithoutValidation("If-Match", (await GetAsync(app, code, Users.Clerk)).ETag);
        request.Headers.AcceptLanguage.ParseAdd("en");
        using var response = await app.Http.SendAsync(request);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Equal("The field 'comment' holds a Unicode noncharacter (U+FFFE) at position 6, which is not allowed.", detail);
    }

    [Fact]
    public async Task VietnameseText_ComposedDecomposedAndMultiLine_IsAccepted()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);
        var address = "Số 12 đường Trần Phú, phường Lộc Thọ".Normalize(NormalizationForm.FormD);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen, Submission.Valid(
            Submission.DossierJson().Replace("\"applicant\":{", $"\"applicant\":{{\"address\":{JsonSerializer.Serialize(address)},", StringComparison.Ordinal)));
        var dossier = await app.Tables.Dossiers.GetEntityAsync<DossierEntity>(submitted.Code, DossierRows.Dossier);
        Assert.Equal("Số 12 đường Trần Phú, phường Lộc Thọ", dossier.Value.ApplicantAddress);

        var code = await SubmitRegisteredAsync(app);
        await DoAsync(app, code, "refuse", Users.Clerk, new { comment = "Thiếu bản sao Căn cước công dân.\r\nThiếu tờ khai." });
    }

    /// <summary>An older version stored such characters: every form still prints, with the characters replaced.</summary>
    [Fact]
    public async Task Forms_OfADossierHoldingStoredBadCharacters_StillPrint()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);
        var accepted = await SubmitRegisteredAsync(app);
        await DoAsync(app, accepted, "accept", Users.Clerk);
        var refused = await SubmitRegisteredAsync(app);
        await DoAsync(app, refused, "refuse", Users.Clerk, new { comment = "Thiếu giấy tờ" });

        foreach (var code in new[] { accepted, refused })
        {
            var dossier = (await app.Tables.Dossiers.GetEntityAsync<DossierEntity>(code, DossierRows.Dossier)).Value;
            dossier.ApplicantName = "Nguyễn\uFFFE Thị Hoa";
            dossier.ApplicantAddress = "Số 1\uFFFF đường \u202ETrần Phú\u200B\u0007";
            await app.Tables.Dossiers.UpdateEntityAsync(dossier, dossier.ETag, TableUpdateMode.Replace);
        }
        await foreach (var row in app.Tables.Dossiers.QueryAsync<TableEntity>(e => e.PartitionKey == refused))
        {
            if (row.GetString("Action") != "refuse") continue;
            row["Comment"] = "Thiếu\uFFFE giấy\uFDD0 tờ";
            await app.Tables.Dossiers.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Merge);
        }

        foreach (var (code, kind, expected) in new[] { (accepted, "receipt", "Trần Phú"), (refused, "refusal", "giấy") })
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/{kind}", Users.Clerk));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            var text = await Tools.PdfTextAsync(await response.Content.ReadAsByteArrayAsync());
            Assert.Contains(expected, text);
            Assert.Contains("Thị Hoa", text);
        }
    }

    private static IEnumerable<string?> Named(JsonElement problem)
    {
        if (problem.TryGetProperty("member", out var member)) yield return member.GetString();
        if (problem.TryGetProperty("field", out var field)) yield return field.GetString();
        if (problem.TryGetProperty("errors", out var errors))
            foreach (var error in errors.EnumerateArray()) yield return error.GetProperty("field").GetString();
    }

    private static string Procedure(string jsonName, string jsonComponent) =>
        "{\"name\":\"" + jsonName + "\",\"field\":\"Thử nghiệm\",\"receivingUnits\":[\"000.20.30.H56\"],"
        + "\"components\":[{\"name\":\"" + jsonComponent + "\",\"original\":true,\"mandatory\":true,\"signatureRequired\":false}],"
        + "\"processingDays\":3,\"fee\":0,\"onlineLevel\":\"full\","
        + "\"workflow\":[{\"name\":\"Thụ lý\",\"role\":\"specialist\",\"unit\":null,\"share\":0.7},{\"name\":\"Trả kết quả\",\"role\":\"clerk\",\"unit\":null,\"share\":0.3}]}";
}
