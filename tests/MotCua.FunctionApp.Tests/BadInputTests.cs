using System.Net;
using System.Text.Json;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>Every refused submission answers a problem (RFC 9457) and leaves no row and no blob behind.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BadInputTests
{
    private const long SmallLimit = 64 * 1024;

    public static TheoryData<string, int, string> Cases => new()
    {
        { "malformed json", 400, "malformed-json" },
        { "missing applicant", 400, "malformed-json" },
        { "wrong-typed field", 400, "malformed-json" },
        { "unknown field", 400, "malformed-json" },
        { "invalid id number", 400, "invalid-fields" },
        { "unknown procedure", 422, "unknown-procedure" },
        { "unit not receiving", 422, "unit-not-receiving" },
        { "not a pdf under .pdf", 415, "unsupported-document-type" },
        { "empty file", 400, "empty-file" },
        { "oversized file", 413, "file-too-large" },
        { "oversized file, chunked", 413, "file-too-large" },
        { "second file bad", 415, "unsupported-document-type" },
        { "path in file name", 400, "bad-file-name" },
        { "backslash path in file name", 400, "bad-file-name" },
        { "control character in file name", 400, "bad-file-name" },
        { "noncharacter in file name", 400, "bad-file-name" },
        { "zero-width character in file name", 400, "bad-file-name" },
        { "noncharacter in address", 400, "invalid-fields" },
        { "bidirectional override in name", 400, "invalid-fields" },
        { "line break in address", 400, "invalid-fields" },
        { "zero-width character in email", 400, "invalid-fields" },
        { "no document", 400, "no-document" },
        { "documents before dossier", 400, "dossier-part-first" },
        { "unexpected part", 400, "unexpected-part" },
        { "not multipart", 415, "unsupported-media-type" },
        { "truncated multipart", 400, "malformed-multipart" },
        { "chairman submits", 403, "forbidden" },
        { "clerk of another unit", 403, "forbidden" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Submit_BadInput_AnswersProblemAndWritesNothing(string @case, int status, string problem)
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, new() { ["Documents:MaxFileBytes"] = SmallLimit.ToString() });
        var (user, content) = Build(@case);

        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, "/api/dossiers", user, content));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{@case}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal($"https://motcua.vn/problems/{problem}", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(status, json.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("title").GetString()));
        Assert.Equal((0, 0), await app.CountWrittenAsync());
    }

    [Fact]
    public async Task Submit_BadInputInEnglish_AnswersInEnglish()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler);
        var request = app.Request(HttpMethod.Post, "/api/dossiers", Users.Citizen, Submission.Valid(Submission.DossierJson(procedure: "9.999999")).ToContent());
        request.Headers.AcceptLanguage.ParseAdd("en-US,en;q=0.9,vi;q=0.5");
        using var response = await app.Http.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unknown procedure", json.RootElement.GetProperty("title").GetString());

        using var vietnamese = await app.Http.SendAsync(app.Request(HttpMethod.Post, "/api/dossiers", Users.Citizen,
            Submission.Valid(Submission.DossierJson(procedure: "9.999999")).ToContent()));
        using var vi = JsonDocument.Parse(await vietnamese.Content.ReadAsStringAsync());
        Assert.Equal("Thủ tục không tồn tại", vi.RootElement.GetProperty("title").GetString());
    }

    private static (CurrentUser User, HttpContent Content) Build(string @case)
    {
        var valid = Submission.DossierJson();
        var pdf = Pdfs.Minimal();
        var citizen = Users.Citizen;
        return @case switch
        {
            "malformed json" => (citizen, new Submission().Dossier("{\"procedureCode\": \"1.001193\",").Document("a.pdf", pdf).ToContent()),
            "missing applicant" => (citizen, new Submission().Dossier("{\"procedureCode\":\"1.001193\",\"receivingUnit\":\"000.20.30.H56\"}").Document("a.pdf", pdf).ToContent()),
            "wrong-typed field" => (citizen, new Submission().Dossier(valid.Replace("\"001190012345\"", "1190012345", StringComparison.Ordinal)).Document("a.pdf", pdf).ToContent()),
            "unknown field" => (citizen, new Submission().Dossier(valid.Replace("{\"procedureCode\"", "{\"priority\":1,\"procedureCode\"", StringComparison.Ordinal)).Document("a.pdf", pdf).ToContent()),
            "invalid id number" => (citizen, Submission.Valid(Submission.DossierJson(idNumber: "12AB")).ToContent()),
            "unknown procedure" => (citizen, Submission.Valid(Submission.DossierJson(procedure: "9.999999")).ToContent()),
            "unit not receiving" => (citizen, Submission.Valid(Submission.DossierJson(procedure: "1.000894")).ToContent()),
            "not a pdf under .pdf" => (citizen, new Submission().Dossier(valid).Document("scan.pdf", "GIF89a not really a pdf"u8.ToArray()).ToContent()),
            "empty file" => (citizen, new Submission().Dossier(valid).Document("empty.pdf", []).ToContent()),
            "oversized file" => (citizen, new Submission().Dossier(valid).Document("big.pdf", Pdfs.Minimal(padding: (int)SmallLimit * 3)).ToContent()),
            "oversized file, chunked" => (citizen, new Submission().Dossier(valid).Document("filename=\"big.pdf\"", () => Pdfs.Large(SmallLimit * 40)).ToContent(chunked: true)),
            "second file bad" => (citizen, new Submission().Dossier(valid).Document("a.pdf", pdf).Document("b.pdf", "not a pdf"u8.ToArray()).ToContent()),
            "path in file name" => (citizen, new Submission().Dossier(valid).Document("../../etc/passwd.pdf", pdf).ToContent()),
            "backslash path in file name" => (citizen, new Submission().Dossier(valid).Document("C:\\\\Users\\\\a.pdf", pdf).ToContent()),
            "control character in file name" => (citizen, new Submission().Dossier(valid).Document("filename*=UTF-8''to%07khai.pdf", () => new MemoryStream(pdf)).ToContent()),
            "noncharacter in file name" => (citizen, new Submission().Dossier(valid).Document("filename*=UTF-8''to%EF%BF%BEkhai.pdf", () => new MemoryStream(pdf)).ToContent()),
            "zero-width character in file name" => (citizen, new Submission().Dossier(valid).Document("filename*=UTF-8''to%E2%80%8Bkhai.pdf", () => new MemoryStream(pdf)).ToContent()),
            "noncharacter in address" => (citizen, Submission.Valid(WithApplicant("address", "Số 1\\uFFFE đường Trần Phú")).ToContent()),
            "bidirectional override in name" => (citizen, Submission.Valid(Submission.DossierJson(name: "Nguyễn \u202EaoH ịhT")).ToContent()),
            "line break in address" => (citizen, Submission.Valid(WithApplicant("address", "Số 1\\nđường Trần Phú")).ToContent()),
            "zero-width character in email" => (citizen, Submission.Valid(WithApplicant("email", "hoa\\u200B@example.vn")).ToContent()),
            "no document" => (citizen, new Submission().Dossier(valid).ToContent()),
            "documents before dossier" => (citizen, new Submission().Document("a.pdf", pdf).Dossier(valid).ToContent()),
            "unexpected part" => (citizen, new Submission().Dossier(valid).Part("Content-Disposition: form-data; name=\"note\"", () => new MemoryStream("hi"u8.ToArray())).ToContent()),
            "not multipart" => (citizen, new StringContent(valid, System.Text.Encoding.UTF8, "application/json")),
            "truncated multipart" => (citizen, Truncated(new Submission().Dossier(valid).Document("a.pdf", pdf).ToContent())),
            "chairman submits" => (Users.Chairman, Submission.Valid().ToContent()),
            "clerk of another unit" => (Users.OtherUnitClerk, Submission.Valid().ToContent()),
            _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, null),
        };
    }

    /// <summary>The valid dossier with one more applicant member, written as raw JSON so escapes reach the server as sent.</summary>
    private static string WithApplicant(string member, string jsonEscapedValue) =>
        Submission.DossierJson().Replace("\"applicant\":{", $"\"applicant\":{{\"{member}\":\"{jsonEscapedValue}\",", StringComparison.Ordinal);

    private static HttpContent Truncated(HttpContent content)
    {
        var bytes = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        return new ByteArrayContent(bytes[..(bytes.Length - 30)]) { Headers = { ContentType = content.Headers.ContentType } };
    }
}
