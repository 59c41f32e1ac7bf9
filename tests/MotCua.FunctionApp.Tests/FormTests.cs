using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests;

/// <summary>Forms read back by poppler and zbar: the Vietnamese text is there, and the QR code opens the lookup.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FormTests
{
    [Fact]
    public async Task Receipt_AfterAcceptance_CarriesCodeDueDatePinAndAReadableQrCode()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, new() { ["Forms:PublicLookupUrl"] = "https://motcua.khanhhoa.gov.vn/tra-cuu" });
        var code = await SubmitRegisteredAsync(app);
        using (var early = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/receipt", Users.Clerk)))
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        var accepted = await DoAsync(app, code, "accept", Users.Clerk);

        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/receipt", Users.Citizen));
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();

        var text = await Tools.PdfTextAsync(pdf);
        Assert.Contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", text);
        Assert.Contains("ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG", text);
        Assert.Contains(code, text);
        Assert.Contains("Nguyễn Thị Hoa", text);
        Assert.Contains("Tờ khai đăng ký khai sinh", text);
        var pin = accepted.GetProperty("lookupPin").GetString()!;
        Assert.Matches("^[0-9]{10}$", pin);
        Assert.Contains($"Mã tra cứu (PIN): {pin}", text);
        Assert.Equal($"https://motcua.khanhhoa.gov.vn/tra-cuu?ma={code}", await Tools.QrCodesAsync(pdf));
    }

    [Fact]
    public async Task Receipt_ListsWhatWasReceivedAndApartWhatWasNot()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);
        // Two files for the declaration (component 1), one without a component; no birth certificate (component 2).
        var code = await SubmitRegisteredAsync(app, submission: new Submission().Dossier(Submission.DossierJson())
            .Document(1, "to-khai-trang-1.pdf", Pdfs.Minimal()).Document(1, "to-khai-trang-2.pdf", Pdfs.Minimal())
            .Document("ghi-chu.pdf", Scans.TextPdf(["ghi chú"])));
        await DoAsync(app, code, "accept", Users.Clerk);
        // The birth certificate and another file come after the acceptance: the receipt says what the desk had when it accepted.
        var supplement = new Submission().Document(2, "giay-chung-sinh.pdf", Scans.TextPdf(["giấy chứng sinh"])).Document("them.pdf", Scans.TextPdf(["thêm"]));
        using (var added = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/dossiers/{code}/documents", Users.Clerk, supplement.ToContent())))
            Assert.True(added.StatusCode == HttpStatusCode.OK, await added.Content.ReadAsStringAsync());

        var text = await Tools.PdfTextAsync(await FormAsync(app, code, "receipt"));
        var receivedAt = text.IndexOf("Thành phần hồ sơ đã nhận:", StringComparison.Ordinal);
        var missingAt = text.IndexOf("Thành phần hồ sơ chưa nhận:", StringComparison.Ordinal);
        Assert.True(receivedAt >= 0 && missingAt > receivedAt, text);
        var received = text[receivedAt..missingAt];
        var missing = text[missingAt..];
        Assert.Contains("1. Tờ khai đăng ký khai sinh (bản chính): 2 tệp", received);
        Assert.Contains("Tài liệu chưa xác định thành phần hồ sơ: 1 tệp (ghi-chu.pdf)", received);
        Assert.DoesNotContain("Giấy chứng sinh", received);
        Assert.Contains("2. Giấy chứng sinh (bản chính, bắt buộc)", missing);
        Assert.DoesNotContain("Tờ khai", missing);
        Assert.DoesNotContain("giay-chung-sinh.pdf", text);
        Assert.DoesNotContain("them.pdf", text);
    }

    [Fact]
    public async Task SupplementRequestAndRefusal_PrintTheReasons()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);
        var first = await SubmitRegisteredAsync(app);
        await DoAsync(app, first, "request-supplement", Users.Clerk, new { comment = "Bổ sung bản sao Căn cước công dân của người đi khai sinh" });
        var supplement = await Tools.PdfTextAsync(await FormAsync(app, first, "supplement-request"));
        Assert.Contains("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", supplement);
        Assert.Contains("Căn cước công dân", supplement);

        var second = await SubmitRegisteredAsync(app);
        await DoAsync(app, second, "refuse", Users.Clerk, new { comment = "Thủ tục không thuộc thẩm quyền của phường" });
        var refusal = await Tools.PdfTextAsync(await FormAsync(app, second, "refusal"));
        Assert.Contains("PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", refusal);
        Assert.Contains("không thuộc thẩm quyền", refusal);
    }

    [Fact]
    public async Task Apology_ForALateDossier_GivesTheNewDate_AndIsRefusedWhenNotLate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(7)));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, time: time);
        var code = await SubmitRegisteredAsync(app, procedure: "1.000656");
        await DoAsync(app, code, "accept", Users.Clerk);
        await DoAsync(app, code, "hand-over", Users.Clerk);

        var apology = new { newDueDate = "2026-12-18", reason = "Chờ kết quả xác minh từ địa phương khác" };
        Assert.Equal(HttpStatusCode.Conflict, (await ApologizeAsync(app, code, apology)).StatusCode);

        time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(HttpStatusCode.NoContent, (await ApologizeAsync(app, code, apology)).StatusCode);
        var text = await Tools.PdfTextAsync(await FormAsync(app, code, "apology"));
        Assert.Contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", text);
        Assert.Contains("ngày 18 tháng 12 năm 2026", text);
        Assert.Contains("xác minh", text);

        Assert.Equal(HttpStatusCode.BadRequest, (await ApologizeAsync(app, code, new { newDueDate = "2026-01-01", reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApologizeAsync(app, code, apology, Users.Citizen)).StatusCode);
    }

    private static async Task<HttpResponseMessage> ApologizeAsync(TestApp app, string code, object body, Auth.CurrentUser? user = null)
    {
        var etag = (await GetAsync(app, code, Users.Clerk)).ETag;
        var request = app.Request(HttpMethod.Post, $"/api/dossiers/{code}/apology", user ?? Users.Clerk, JsonContent.Create(body));
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await app.Http.SendAsync(request);
    }

    private static async Task<byte[]> FormAsync(TestApp app, string code, string kind)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/{kind}", Users.Clerk));
        Assert.True(response.IsSuccessStatusCode, $"{kind}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }
}
