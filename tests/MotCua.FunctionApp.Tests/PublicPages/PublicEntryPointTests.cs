using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests.PublicPages;

/// <summary>
/// The new public entry points over plain HTTP: the lookup with the PIN in a body, the public catalogue, and every page's
/// and API's answer to bad input (a page in Vietnamese, or an RFC 9457 problem, with the right status; nothing written).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PublicEntryPointTests
{
    [Fact]
    public async Task PublicEntryPoints_RefuseBadInput_WithTheRightStatus_AndWriteNothing()
    {
        await using var app = await TestApp.StartAsync();
        var code = await SubmitRegisteredAsync(app);
        var written = await app.CountWrittenAsync();

        await PageAsync(app, HttpMethod.Get, "/tra-cuu?ma=%3Cscript%3Ealert(1)%3C%2Fscript%3E", null, 400, "Mã hồ sơ trong đường dẫn không đúng dạng");
        await PageAsync(app, HttpMethod.Post, "/tra-cuu", JsonContent.Create(new { ma = code, pin = "1234567890" }), 415, "Biểu mẫu gửi không đúng dạng");
        await PageAsync(app, HttpMethod.Post, "/tra-cuu", Form(("ma", code), ("pin", new string('1', 3000))), 413, "Biểu mẫu quá lớn");
        await PageAsync(app, HttpMethod.Post, "/tra-cuu", Form(("ma", "không-phải-mã"), ("pin", "12")), 404, "Không tìm thấy hồ sơ với mã và mã tra cứu này");
        await PageAsync(app, HttpMethod.Post, "/tra-cuu", Form(("ma", code), ("pin", "12ab")), 404, "Không tìm thấy hồ sơ với mã và mã tra cứu này");
        await PageAsync(app, HttpMethod.Get, "/thu-tuc?q=" + new string('a', 201), null, 400, "Từ khóa tìm kiếm tối đa 200 ký tự");
        await PageAsync(app, HttpMethod.Get, "/thu-tuc/9.999999", null, 404, "Không có thủ tục này");
        await PageAsync(app, HttpMethod.Get, "/xac-thuc/AAAAAAAAAAAAAAAAAAAAAA", null, 404, "Không");
        await PageAsync(app, HttpMethod.Post, "/xac-thuc", new StringContent("xin chào"), 415, "Hãy gửi tệp bằng biểu mẫu trên trang này");
        var notPdf = new MultipartFormDataContent { { new ByteArrayContent("không phải PDF"u8.ToArray()), "tep", "giay.pdf" } };
        await PageAsync(app, HttpMethod.Post, "/xac-thuc", notPdf, 415, "Chỉ nhận tệp PDF");
        var noFile = new MultipartFormDataContent { { new StringContent("x"), "ghi-chu" } };
        await PageAsync(app, HttpMethod.Post, "/xac-thuc", noFile, 400, "Chưa chọn tệp PDF");

        await ProblemAsync(app, HttpMethod.Post, "/api/public/dossiers/lookup", new StringContent("{", Encoding.UTF8, "application/json"), 400);
        await ProblemAsync(app, HttpMethod.Post, "/api/public/dossiers/lookup", new StringContent("mã", Encoding.UTF8, "text/plain"), 415);
        await ProblemAsync(app, HttpMethod.Post, "/api/public/dossiers/lookup", JsonContent.Create(new { code = "x", pin = "1" }), 404, "lookup-not-found");
        await ProblemAsync(app, HttpMethod.Get, "/api/public/procedures?q=" + new string('a', 201), null, 400, "invalid-fields");
        await ProblemAsync(app, HttpMethod.Get, "/api/public/procedures/9.999999", null, 422, "unknown-procedure");

        Assert.Equal(written, await app.CountWrittenAsync());
    }

    [Fact]
    public async Task LookupApi_TakesTheCodeAndPinInTheBody_AndTheContractDeprecatesThePinInTheAddress()
    {
        await using var app = await TestApp.StartAsync();
        var code = await SubmitRegisteredAsync(app);
        var pin = (await DoAsync(app, code, "accept", Users.Clerk)).GetProperty("lookupPin").GetString()!;

        using var byBody = await app.Http.PostAsync("/api/public/dossiers/lookup", JsonContent.Create(new { code, pin }));
        Assert.Equal(HttpStatusCode.OK, byBody.StatusCode);
        Assert.Equal("no-store", byBody.Headers.CacheControl?.ToString());
        var view = JsonDocument.Parse(await byBody.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(code, view.GetProperty("code").GetString());
        Assert.Equal(2, view.GetProperty("status").GetProperty("code").GetInt32());
        // The address with the PIN still answers the same, for the apps that use it until they move.
        using var byAddress = await app.Http.GetAsync($"/api/public/dossiers/{code}?pin={pin}");
        Assert.Equal(view.GetRawText(), JsonDocument.Parse(await byAddress.Content.ReadAsStringAsync()).RootElement.GetRawText());

        var contract = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "mobile-contracts", "openapi.json")))!;
        var get = contract["paths"]!["/api/public/dossiers/{code}"]!["get"]!;
        Assert.True((bool)get["deprecated"]!);
        Assert.True((bool)get["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "pin")!["deprecated"]!);
        Assert.NotNull(contract["paths"]!["/api/public/dossiers/lookup"]!["post"]!["requestBody"]);
    }

    [Fact]
    public async Task PublicProcedures_AreFoundWithoutDiacritics_WithoutSigningIn()
    {
        await using var app = await TestApp.StartAsync();
        using var found = await app.Http.GetAsync("/api/public/procedures?q=" + Uri.EscapeDataString("DANG KY  ket hon"));
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var list = JsonDocument.Parse(await found.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["1.000656"], list.EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        using var all = await app.Http.GetAsync("/api/public/procedures");
        Assert.True(JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement.GetArrayLength() > 1);

        using var one = await app.Http.GetAsync("/api/public/procedures/1.000656");
        var procedure = JsonDocument.Parse(await one.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Đăng ký kết hôn", procedure.GetProperty("name").GetString());
        Assert.NotEmpty(procedure.GetProperty("components").EnumerateArray());
        Assert.Contains(procedure.GetProperty("receivingUnits").EnumerateArray(), u => u.GetProperty("name").GetString() == "Ủy ban nhân dân phường Nha Trang");
        Assert.False(procedure.TryGetProperty("workflow", out _));

        // The page escapes what it shows: a query is text, never markup.
        using var page = await app.Http.GetAsync("/thu-tuc?q=" + Uri.EscapeDataString("<b>kết hôn</b>"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("&lt;b&gt;kết hôn&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>kết", html);
    }

    [Fact]
    public async Task Pages_ShareThePublicApisRateLimit_AndRefuseAsAPage()
    {
        await using var app = await TestApp.StartAsync(settings: new() { ["Lookup:PermitsPerMinute"] = "2" });
        using (var first = await app.Http.GetAsync("/thu-tuc")) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var second = await app.Http.GetAsync("/api/public/procedures")) Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await PageAsync(app, HttpMethod.Get, "/tra-cuu", null, 429, "Tra cứu quá nhiều lần");
        using var again = await app.Http.GetAsync("/xac-thuc");
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.NotNull(again.Headers.RetryAfter);
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static async Task PageAsync(TestApp app, HttpMethod method, string path, HttpContent? content, int status, string says)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await app.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("<html lang=\"vi\">", html);
        Assert.Contains(says, html);
        Assert.DoesNotContain("<script", html);
    }

    private static async Task ProblemAsync(TestApp app, HttpMethod method, string path, HttpContent? content, int status, string? type = null)
    {
        using var response = await app.Http.SendAsync(new HttpRequestMessage(method, path) { Content = content });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (type is not null) Assert.Equal("https://motcua.vn/problems/" + type, JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
    }
}
