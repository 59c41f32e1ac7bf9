using Microsoft.Extensions.Options;
using MotCua.Domain.Documents;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// A scanned PDF page that is one upright JPEG over the whole page is read from that JPEG, byte for
/// byte as stored; any other scanned page is rendered as before, and both read the same words.
/// </summary>
public sealed class ScannedDocumentPageTests
{
    private static readonly string[] Lines = ["GIẤY XÁC NHẬN CƯ TRÚ", "Họ và tên: Nguyễn Thị Hoa", "Nơi thường trú: Phường Lộc Thọ, Nha Trang"];
    private static readonly IOptions<TextOptions> Options = Microsoft.Extensions.Options.Options.Create(new TextOptions { OcrWorkers = 1 });

    [Fact]
    public async Task A_whole_page_jpeg_is_taken_out_as_stored_and_read_at_its_resolution()
    {
        using var folder = new TemporaryFolder();
        var jpeg = await Scans.ImageAsync(Scans.TextPdf(Lines, size: 18), "jpeg", dpi: 300);
        var pdf = folder.Write("scan.pdf", Scans.ImagePdf(jpeg));
        var images = new ScannedPageImages(Options);

        var found = await images.FindAsync(pdf, [1], new Dictionary<int, PdfPageGeometry> { [1] = new(595, 842, 0) }, _ => 300, CancellationToken.None);

        var image = Assert.Single(found.Values);
        Assert.Equal((1, 300), (image.Page, image.PixelsPerInch));
        var extracted = await images.ExtractAsync(pdf, image, Path.Combine(folder.Path, "page-1"), CancellationToken.None);
        Assert.NotNull(extracted);
        Assert.Equal(jpeg, await File.ReadAllBytesAsync(extracted));

        var text = await Reader().ReadAsync(pdf, DocumentKind.Pdf, folder.Path, CancellationToken.None);
        var page = Assert.Single(text.Pages);
        Assert.Equal(PageSources.Ocr, page.Source);
        Assert.Contains("Nguyễn Thị Hoa", page.Text);
    }

    public static TheoryData<string, string, string> NotTheWholePage() => new()
    {
        // name, placement matrix, page dictionary entries
        { "turned a quarter on the page", "0 842 -595 0 595 0", "" },
        { "the page itself turned", "595 0 0 842 0 0", "/Rotate 90" },
        { "half the page", "297 0 0 421 0 0", "" },
    };

    [Theory]
    [MemberData(nameof(NotTheWholePage))]
    public async Task A_jpeg_that_is_not_the_upright_page_is_rendered_instead(string name, string placement, string pageEntries)
    {
        using var folder = new TemporaryFolder();
        var jpeg = await Scans.ImageAsync(Scans.TextPdf(Lines, size: 18), "jpeg", dpi: 300);
        var pdf = folder.Write("scan.pdf", Scans.ImagePdf(jpeg, placement, pageEntries));
        var rotation = pageEntries.Length > 0 ? 90 : 0;

        var found = await new ScannedPageImages(Options).FindAsync(pdf, [1], new Dictionary<int, PdfPageGeometry> { [1] = new(595, 842, rotation) }, _ => 300, CancellationToken.None);

        Assert.True(found.Count == 0, name);
    }

    [Fact]
    public async Task A_low_resolution_scan_is_rendered_at_300_dpi_and_still_read()
    {
        using var folder = new TemporaryFolder();
        var pdf = folder.Write("scan.pdf", Scans.ImagePdf(await Scans.ImageAsync(Scans.TextPdf(Lines, size: 24), "jpeg", dpi: 150)));

        var found = await new ScannedPageImages(Options).FindAsync(pdf, [1], new Dictionary<int, PdfPageGeometry> { [1] = new(595, 842, 0) }, _ => 300, CancellationToken.None);
        var text = await Reader().ReadAsync(pdf, DocumentKind.Pdf, folder.Path, CancellationToken.None);

        Assert.Empty(found);
        Assert.Contains("Nguyễn Thị Hoa", Assert.Single(text.Pages).Text);
    }

    private static DocumentTextReader Reader() => new(new TesseractOcr(Options), new OfficeTextReader(Options), new ScannedPageImages(Options), Options);

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("motcua-scan-").FullName;

        public string Write(string name, byte[] bytes)
        {
            var path = System.IO.Path.Combine(Path, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
