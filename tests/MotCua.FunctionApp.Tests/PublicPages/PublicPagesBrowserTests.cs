using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Signing;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests.PublicPages;

/// <summary>
/// The public pages as a citizen's phone opens them: from the receipt's QR code to the dossier's status, a wrong PIN, a
/// dossier waiting for papers, a signed result's QR code and a tampered copy of it, and the catalogue searched without
/// diacritics. Each page is used from the keyboard alone and passes axe-core's WCAG 2.1 A/AA rules at 360 px.
/// </summary>
[Collection(PhoneBrowserCollection.Name)]
public sealed class PublicPagesBrowserTests(PhoneBrowser phone)
{
    private TestApp App => phone.App;

    [Fact]
    public async Task ReceiptQr_OpensTheLookup_AWrongPinIsRefused_TheRightOneShowsTheStatus()
    {
        var code = await SubmitRegisteredAsync(App);
        var pin = (await DoAsync(App, code, "accept", Users.Clerk)).GetProperty("lookupPin").GetString()!;
        using var receipt = await App.Http.SendAsync(App.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/receipt", Users.Citizen));
        var scanned = await Tools.QrCodesAsync(await receipt.Content.ReadAsByteArrayAsync());
        Assert.Equal($"https://motcua.example.vn/tra-cuu?ma={code}", scanned);

        await using var tab = await phone.OpenAsync();
        var form = await tab.GoAsync(scanned);
        Assert.Equal(200, form.Status);
        Assert.Equal("no-store", form.Headers["cache-control"]);
        await PhoneTab.RecordSizeAsync("tra-cuu", form);
        Assert.Equal(code, await tab.Page.InputValueAsync("#ma"));
        await tab.CheckAsync("tra-cuu-form");

        // From the keyboard only: the code is filled by the QR, the PIN typed, Enter sends.
        await tab.TabToAsync("#pin");
        await tab.Page.Keyboard.TypeAsync(pin[..^1] + (pin[^1] == '0' ? '1' : '0'));
        var wrong = await tab.NavigateByAsync(() => tab.Page.Keyboard.PressAsync("Enter"));
        Assert.Equal(404, wrong.Status);
        Assert.Contains("Không tìm thấy hồ sơ với mã và mã tra cứu này", await tab.Page.InnerTextAsync("[role=alert]"));
        Assert.Equal(code, await tab.Page.InputValueAsync("#ma"));
        Assert.DoesNotContain(pin[..^1], tab.Page.Url);
        await tab.CheckAsync("tra-cuu-sai-pin");

        await tab.TabToAsync("#pin");
        await tab.Page.Keyboard.TypeAsync(pin);
        await tab.TabToAsync("#tra-cuu-nut");
        var answer = await tab.NavigateByAsync(() => tab.Page.Keyboard.PressAsync("Enter"));
        Assert.Equal(200, answer.Status);
        Assert.Equal("no-store", answer.Headers["cache-control"]);
        Assert.Equal("POST", answer.Request.Method);
        Assert.DoesNotContain(pin, tab.Page.Url);
        Assert.All(tab.Requested, url => Assert.DoesNotContain(pin, url));
        await PhoneTab.RecordSizeAsync("tra-cuu (kết quả)", answer);
        var text = await tab.Page.InnerTextAsync("main");
        Assert.Contains("Được tiếp nhận", text);
        Assert.Contains("Đăng ký khai sinh", text);
        Assert.Contains("Ngày hẹn trả kết quả", text);
        Assert.Contains("Hiện bạn không cần làm gì thêm", text);
        Assert.Contains("Tiếp nhận hồ sơ", text);
        await tab.CheckAsync("tra-cuu-ket-qua");
        await tab.TabToAsync("main a[href='/tra-cuu']", maxTabs: 8);
    }

    [Fact]
    public async Task ADossierWaitingForPapers_TellsTheCitizenWhatToBringAndWhere()
    {
        var code = await SubmitRegisteredAsync(App);
        await DoAsync(App, code, "request-supplement", Users.Clerk, new { comment = "Bổ sung bản sao Căn cước công dân của người đi khai sinh" });
        var pin = (await GetAsync(App, code, Users.Citizen)).Body.GetProperty("lookupPin").GetString()!;

        await using var tab = await phone.OpenAsync();
        await tab.GoAsync($"/tra-cuu?ma={code}");
        await tab.Page.FillAsync("#pin", pin);
        var answer = await tab.NavigateByAsync(() => tab.Page.ClickAsync("#tra-cuu-nut"));
        Assert.Equal(200, answer.Status);
        var todo = await tab.Page.InnerTextAsync(".box.warn");
        Assert.Contains("Bạn cần bổ sung giấy tờ", todo);
        Assert.Contains("Bổ sung bản sao Căn cước công dân của người đi khai sinh", todo);
        Assert.Contains("Giấy chứng sinh (bản chính, bắt buộc)", todo);
        Assert.Contains("Bộ phận một cửa của Ủy ban nhân dân phường Nha Trang", todo);
        Assert.Contains("Yêu cầu bổ sung giấy tờ", await tab.Page.InnerTextAsync("main"));
        await tab.CheckAsync("tra-cuu-bo-sung");
    }

    [Fact]
    public async Task ASealedResultsQr_OpensItsCheck_AndATamperedCopyIsNotConfirmed()
    {
        using var chairman = await CertifiedPhone.RegisterAsync(App, phone.Pki, Users.Chairman);
        var code = await ResultFlow.ReadyForResultAsync(App);
        Assert.Equal(HttpStatusCode.OK, (await ResultFlow.AttachAsync(App, code, Users.Specialist, ResultFlow.ResultPdf(code))).StatusCode);
        await DoAsync(App, code, "submit-for-approval", Users.Specialist);
        Assert.Equal(HttpStatusCode.OK, (await ResultFlow.ApproveAsync(App, code, chairman)).Status);
        await DoAsync(App, code, "finish", Users.Clerk);
        await Eventually.GetAsync(async () =>
        {
            var result = await ResultFlow.ResultAsync(App, code, Users.Citizen);
            return result.ValueKind == JsonValueKind.Object && result.GetProperty("stage").GetString() == "issued" ? "issued" : null;
        }, "the sealed result");
        using var download = await App.Http.SendAsync(App.Request(HttpMethod.Get, $"/api/dossiers/{code}/result/file", Users.Citizen));
        var pdf = await download.Content.ReadAsByteArrayAsync();
        var scanned = await Tools.QrCodesAsync(pdf);
        Assert.StartsWith("https://motcua.example.vn/xac-thuc/", scanned);

        await using var tab = await phone.OpenAsync();
        var check = await tab.GoAsync(scanned);
        Assert.Equal(200, check.Status);
        Assert.Equal("no-store", check.Headers["cache-control"]);
        await PhoneTab.RecordSizeAsync("xac-thuc/{checkId}", check);
        var text = await tab.Page.InnerTextAsync("main");
        Assert.Contains("Văn bản do cơ quan ban hành qua MotCua, còn hiệu lực", text);
        Assert.Contains(code, text);
        // Signers as people read them, not as certificates name them.
        Assert.Contains("Lê Văn Hùng (UBND phường Nha Trang)", text);
        Assert.DoesNotContain("CN=", text);
        Assert.DoesNotContain("Chữ ký không hợp lệ", text);
        await tab.CheckAsync("xac-thuc-qr");
        await tab.TabToAsync("main a[href='/xac-thuc']", maxTabs: 8);

        // A QR code printed before the page existed names the API: the phone's browser is sent on to the page.
        var old = await tab.GoAsync("/api/public/documents/" + scanned[(scanned.LastIndexOf('/') + 1)..]);
        Assert.Equal(200, old.Status);
        Assert.Contains("/xac-thuc/", tab.Page.Url);

        var copy = Path.Combine(Path.GetTempPath(), $"motcua-tampered-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(copy, Infrastructure.Signing.SignedPdfBuilder.FlipByte(pdf, Infrastructure.Signing.SignedPdfBuilder.OffsetOf(pdf, "GIAY KHAI SINH")));
        try
        {
            var form = await tab.GoAsync("/xac-thuc");
            Assert.StartsWith("public", form.Headers["cache-control"]);
            await PhoneTab.RecordSizeAsync("xac-thuc", form);
            await tab.CheckAsync("xac-thuc-form");
            await tab.Page.SetInputFilesAsync("#tep", copy);
            await tab.TabToAsync("#xac-thuc-nut");
            var answer = await tab.NavigateByAsync(() => tab.Page.Keyboard.PressAsync("Enter"));
            Assert.Equal(200, answer.Status);
            var verdict = await tab.Page.InnerTextAsync("main");
            Assert.Contains("Không xác nhận được văn bản này", verdict);
            Assert.Contains("Chữ ký không hợp lệ", verdict);
            await tab.CheckAsync("xac-thuc-tep-bi-sua");
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public async Task TheCatalogue_FindsAProcedureTypedWithoutDiacritics_AndShowsWhatToBring()
    {
        await using var tab = await phone.OpenAsync();
        // The accessibility check finds what it should: an input without a label, in a page without a language.
        await tab.Page.SetContentAsync("<!doctype html><title>x</title><input id=q>");
        Assert.Contains(await PhoneBrowser.AxeViolationsAsync(tab.Page), v => v.StartsWith("label:", StringComparison.Ordinal));

        var list = await tab.GoAsync("/thu-tuc");
        Assert.Equal("public, max-age=300", list.Headers["cache-control"]);
        await PhoneTab.RecordSizeAsync("thu-tuc", list);
        await tab.CheckAsync("thu-tuc");

        await tab.TabToAsync("#q");
        await tab.Page.Keyboard.TypeAsync("dang ky ket hon");
        var found = await tab.NavigateByAsync(() => tab.Page.Keyboard.PressAsync("Enter"));
        Assert.Equal(200, found.Status);
        var links = await tab.Page.Locator("main ul a").AllInnerTextsAsync();
        Assert.Equal(["Đăng ký kết hôn"], links);
        await tab.CheckAsync("thu-tuc-tim");

        await tab.TabToAsync("main ul a");
        var one = await tab.NavigateByAsync(() => tab.Page.Keyboard.PressAsync("Enter"));
        Assert.Equal("public, max-age=300", one.Headers["cache-control"]);
        await PhoneTab.RecordSizeAsync("thu-tuc/{code}", one);
        var text = await tab.Page.InnerTextAsync("main");
        Assert.Contains("1.000656", text);
        Assert.Contains("Thành phần hồ sơ", text);
        Assert.Contains("Ủy ban nhân dân phường Nha Trang", text);
        Assert.Contains("Dịch vụ công trực tuyến", text);
        Assert.Contains("ngày làm việc", text);
        await tab.CheckAsync("thu-tuc-chi-tiet");
        await tab.TabToAsync("main a[href='/thu-tuc']", maxTabs: 8);
    }
}
