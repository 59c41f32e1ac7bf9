using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.FunctionApp.Tests.Signing;
using static MotCua.FunctionApp.Tests.Correspondence.OutgoingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>An issued letter's QR code leads to the public check: which document, which agency, its signatures, and its recall.</summary>
public sealed class OutgoingPublicCheckTests : IAsyncLifetime
{
    private readonly OutgoingSetup _setup = new();
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await _setup.StartAsync(new() { ["Results:PublicCheckBaseUrl"] = "https://dichvucong.khanhhoa.example.vn/xac-thuc" });

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _setup.Dispose();
    }

    [Fact]
    public async Task The_QR_code_on_an_issued_letter_opens_its_check_and_a_recall_shows_there()
    {
        using var chairman = await CertifiedPhone.RegisterAsync(_app, _setup.Pki, Users.Chairman);
        var issued = await OutgoingSetup.IssueAsync(_app, chairman, Letter("V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026"));
        var id = issued.Body.GetProperty("id").GetString()!;
        byte[] pdf;
        using (var download = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/outgoing/{id}/file", Users.Officer)))
            pdf = await download.Content.ReadAsByteArrayAsync();

        var address = await Poppler.QrCodesAsync(pdf);
        Assert.StartsWith("https://dichvucong.khanhhoa.example.vn/xac-thuc/", address);
        var check = await PublicCheckApi.ByIdAsync(_app, address[address.LastIndexOf('/')..]);
        Assert.Equal((true, "issued"), (check.GetProperty("issuedHere").GetBoolean(), check.GetProperty("status").GetString()));
        var document = check.GetProperty("document");
        Assert.Equal((issued.Body.GetProperty("numbered").GetProperty("symbol").GetString(), "Ủy ban nhân dân phường Nha Trang"),
            (document.GetProperty("symbol").GetString(), document.GetProperty("issuer").GetString()));
        Assert.Equal([true, true], check.GetProperty("signatures").EnumerateArray().Select(s => s.GetProperty("valid").GetBoolean()));

        var sent = await PublicCheckApi.ForFileAsync(_app, pdf);
        Assert.Equal("V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026", sent.GetProperty("document").GetProperty("summary").GetString());
        var changed = await PublicCheckApi.ForFileAsync(_app, SignedPdfBuilder.FlipByte(pdf, pdf.Length / 3));
        Assert.False(changed.GetProperty("issuedHere").GetBoolean());

        var current = await GetAsync(_app, id, Users.RecordsClerk);
        var recalled = await StepAsync(_app, id, "recall", Users.RecordsClerk, new { reason = "Văn bản ghi sai ngày tổ chức." }, current.ETag);
        Assert.Equal(HttpStatusCode.OK, recalled.Status);
        var after = await PublicCheckApi.ByIdAsync(_app, address[address.LastIndexOf('/')..]);
        Assert.Equal(("cancelled", "Văn bản ghi sai ngày tổ chức."), (after.GetProperty("status").GetString(), after.GetProperty("cancelReason").GetString()));
    }

    [Fact]
    public async Task A_secret_letter_carries_no_QR_code()
    {
        using var chairman = await CertifiedPhone.RegisterAsync(_app, _setup.Pki, Users.Chairman);
        var issued = await OutgoingSetup.IssueAsync(_app, chairman, new
        {
            documentType = "Công văn", summary = "V/v công tác bảo vệ bí mật nhà nước", recipients = Array.Empty<object>(), signer = Users.Chairman.Id, priority = 0,
            secret = true, otherRecipients = new[] { "Công an tỉnh (bản giấy)" },
        });
        using var download = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/outgoing/{issued.Body.GetProperty("id").GetString()}/file", Users.Chairman));
        var pdf = await download.Content.ReadAsByteArrayAsync();
        Assert.Contains("Số:", await Tools.PdfTextAsync(pdf));
        // zbarimg exits 4 when it finds no code on the page.
        var none = await Assert.ThrowsAsync<InvalidOperationException>(() => Poppler.QrCodesAsync(pdf));
        Assert.StartsWith("zbarimg failed (4)", none.Message);
    }
}
