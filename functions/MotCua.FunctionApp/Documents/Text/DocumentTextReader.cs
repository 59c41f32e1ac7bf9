using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MotCua.Domain.Documents;

namespace MotCua.FunctionApp.Documents.Text;

/// <summary>
/// Reads a document's text page by page: a PDF's own text layer first (<c>pdftotext</c>), and only
/// pages without one are read by OCR, from the page's own JPEG where it is the whole page
/// (<see cref="ScannedPageImages"/>), else rendered (<c>pdftoppm</c>); images go to OCR directly;
/// office files to <see cref="OfficeTextReader"/>.
/// Every poppler and tesseract run is its own process with a memory limit; office files are read in
/// this process under caps on entries, expanded size and characters per part. Either way a hostile
/// file fails its document, not the worker.
/// </summary>
public sealed partial class DocumentTextReader(TesseractOcr ocr, OfficeTextReader office, ScannedPageImages pageImages, IOptions<TextOptions> options)
{
    private const int MaxPageChars = 30_000;

    /// <summary>What pdftotext may write for one document, whatever its page count.</summary>
    private const int MaxDocumentChars = 8_000_000;

    public Task<DocumentText> ReadAsync(string path, DocumentKind kind, string workFolder, CancellationToken cancellationToken) => kind switch
    {
        DocumentKind.Pdf => ReadPdfAsync(path, workFolder, cancellationToken),
        _ when kind.IsImage() => ReadImageAsync(path, kind, cancellationToken),
        _ when kind.IsZipContainer() => office.ReadAsync(path, kind, cancellationToken),
        _ => Task.FromResult(new DocumentText([])),
    };

    private async Task<DocumentText> ReadImageAsync(string path, DocumentKind kind, CancellationToken cancellationToken)
    {
        var o = options.Value;
        (int Width, int Height)? size;
        await using (var file = File.OpenRead(path)) size = ImageHeader.TryReadSize(file, kind);
        if (size is not { } s) return DocumentText.Failed(TextFailures.Malformed, "The image header cannot be read.");
        if (s.Width > o.MaxImageSide || s.Height > o.MaxImageSide || (long)s.Width * s.Height > o.MaxImageMegapixels * 1_000_000L)
            return DocumentText.Failed(TextFailures.ImageTooLarge, $"The image is {s.Width} × {s.Height} pixels.");

        using var worker = await ocr.WorkerAsync(cancellationToken);
        var pages = await ocr.ReadAsync(path, 1, cancellationToken);
        return pages.All(p => p.Error is not null)
            ? DocumentText.Failed(pages[0].Error!.StartsWith(TextFailures.Timeout, StringComparison.Ordinal) ? TextFailures.Timeout : TextFailures.Unreadable, pages[0].Error!)
            : new DocumentText(pages.Select(Bounded).ToList());
    }

    private async Task<DocumentText> ReadPdfAsync(string path, string workFolder, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var info = await ToolProcess.RunAsync("pdfinfo", ["-l", o.MaxPages.ToString(CultureInfo.InvariantCulture), path],
            TimeSpan.FromSeconds(o.DocumentTimeoutSeconds), o.ToolMemoryMegabytes, 256 * 1024, cancellationToken);
        if (info.TimedOut) return DocumentText.Failed(TextFailures.Timeout, "Reading the PDF's structure took too long.");
        if (info.Error.Contains("password", StringComparison.OrdinalIgnoreCase)) return DocumentText.Failed(TextFailures.Encrypted, "The PDF is protected by a password.");
        var pageCount = PagesLine().Match(info.Output) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (info.ExitCode != 0 || pageCount == 0) return DocumentText.Failed(TextFailures.Malformed, $"The PDF cannot be read: {FirstLine(info.Error)}");
        if (pageCount > o.MaxPages) return DocumentText.Failed(TextFailures.TooManyPages, $"The PDF has {pageCount} pages; at most {o.MaxPages} are read.");
        var rotations = PageRotationLine().Matches(info.Output).ToDictionary(
            x => int.Parse(x.Groups[1].Value, CultureInfo.InvariantCulture), x => int.Parse(x.Groups[2].Value, CultureInfo.InvariantCulture));
        var geometry = PageSizeLine().Matches(info.Output).ToDictionary(
            x => int.Parse(x.Groups[1].Value, CultureInfo.InvariantCulture),
            x => new PdfPageGeometry(double.Parse(x.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(x.Groups[3].Value, CultureInfo.InvariantCulture),
                rotations.GetValueOrDefault(int.Parse(x.Groups[1].Value, CultureInfo.InvariantCulture))));

        var text = await ToolProcess.RunAsync("pdftotext", ["-enc", "UTF-8", "-l", pageCount.ToString(CultureInfo.InvariantCulture), path, "-"],
            TimeSpan.FromSeconds(o.DocumentTimeoutSeconds), o.ToolMemoryMegabytes, (int)Math.Min((long)pageCount * MaxPageChars * 2, MaxDocumentChars), cancellationToken);
        if (text.TimedOut) return DocumentText.Failed(TextFailures.Timeout, "Reading the PDF's text took too long.");
        if (text.ExitCode == 3) return DocumentText.Failed(TextFailures.Encrypted, "The PDF forbids copying its text.");
        if (text.ExitCode != 0) return DocumentText.Failed(TextFailures.Malformed, $"The PDF's text cannot be read: {FirstLine(text.Error)}");

        var layer = text.Output.Split('\f');
        var pages = new PageText[pageCount];
        var scans = new List<int>();
        for (var n = 1; n <= pageCount; n++)
        {
            var pageText = n <= layer.Length ? layer[n - 1].Trim() : string.Empty;
            if (pageText.Count(char.IsLetter) >= o.MinTextLayerLetters) pages[n - 1] = Bounded(new PageText(n, pageText, PageSources.TextLayer, null));
            else scans.Add(n);
        }

        foreach (var n in scans.Skip(o.MaxOcrPages))
            pages[n - 1] = new PageText(n, string.Empty, PageSources.None, null, $"{TextFailures.OcrLimit}: only the first {o.MaxOcrPages} scanned pages are read");
        var toRead = scans.Take(o.MaxOcrPages).ToList();
        var images = await pageImages.FindAsync(path, toRead, geometry, g => RenderDpi(Math.Max(g.Width, g.Height)), cancellationToken);
        await Task.WhenAll(toRead.Select(async n => pages[n - 1] = Bounded(await OcrPageAsync(path, n, geometry.TryGetValue(n, out var g) ? Math.Max(g.Width, g.Height) : 842,
            images.GetValueOrDefault(n), workFolder, cancellationToken))));
        if (pages.All(p => p.Error is not null))
            return DocumentText.Failed(pages.All(p => p.Error!.StartsWith(TextFailures.Timeout, StringComparison.Ordinal)) ? TextFailures.Timeout : TextFailures.Unreadable,
                pages[0].Error!);
        return new DocumentText(pages);
    }

    private async Task<PageText> OcrPageAsync(string path, int page, double longSidePoints, ScannedPageImages.PageImage? image, string workFolder,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (image is not null)
        {
            using var slot = await ocr.WorkerAsync(cancellationToken);
            var jpeg = await pageImages.ExtractAsync(path, image, Path.Combine(workFolder, $"page-{page}"), cancellationToken);
            if (jpeg is not null)
            {
                try
                {
                    return (await ocr.ReadAsync(jpeg, page, cancellationToken, image.PixelsPerInch))[0];
                }
                finally
                {
                    File.Delete(jpeg);
                }
            }
        }
        var dpi = RenderDpi(longSidePoints);
        var imageBase = Path.Combine(workFolder, $"page-{page}");
        using var worker = await ocr.WorkerAsync(cancellationToken);
        try
        {
            var number = page.ToString(CultureInfo.InvariantCulture);
            var render = await ToolProcess.RunAsync("pdftoppm", ["-r", dpi.ToString(CultureInfo.InvariantCulture), "-gray", "-png", "-f", number, "-l", number, "-singlefile", path, imageBase],
                TimeSpan.FromSeconds(o.PageTimeoutSeconds), o.ToolMemoryMegabytes, 4096, cancellationToken);
            if (render.TimedOut) return new PageText(page, string.Empty, PageSources.None, null, $"{TextFailures.Timeout}: rendering");
            if (render.ExitCode != 0 || !File.Exists(imageBase + ".png"))
                return new PageText(page, string.Empty, PageSources.None, null, $"{TextFailures.Unreadable}: {FirstLine(render.Error)}");
            var read = await ocr.ReadAsync(imageBase + ".png", page, cancellationToken);
            return read[0];
        }
        finally
        {
            File.Delete(imageBase + ".png");
        }
    }

    /// <summary>300 dpi suits OCR; an absurd page size is scaled down rather than rendered to gigabytes.</summary>
    private int RenderDpi(double longSidePoints) => (int)Math.Clamp(Math.Min(300, options.Value.MaxRenderSide * 72 / Math.Max(longSidePoints, 1)), 10, 300);

    private static PageText Bounded(PageText page) => page.Text.Length > MaxPageChars ? page with { Text = page.Text[..MaxPageChars] } : page;

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "no detail";

    [GeneratedRegex(@"^Pages:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex PagesLine();

    [GeneratedRegex(@"^Page\s+(\d+) rot:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex PageRotationLine();

    [GeneratedRegex(@"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts", RegexOptions.Multiline)]
    private static partial Regex PageSizeLine();
}
