using System.Globalization;
using Microsoft.Extensions.Options;
using MotCua.Domain.Documents;

namespace MotCua.FunctionApp.Documents.Text;

/// <summary>
/// A scanned PDF page is most often one JPEG laid over the whole page, upright. Such a page's image
/// is taken out as it is stored (<c>pdfimages -j</c>, milliseconds) and read by OCR at its own
/// resolution, instead of being rendered and encoded again as a PNG (<c>pdftoppm</c>, about half a
/// second a page). Any other page (several images, masks, CMYK, a rotated or partial placement, a low
/// resolution other than the one it would be rendered at) is rendered as before. Both tools are poppler processes
/// under the same limits as every other.
/// </summary>
public sealed class ScannedPageImages(IOptions<TextOptions> options)
{
    /// <summary>
    /// How far the image's resolution may be from the one the page would be rendered at. Rendering a
    /// coarser scan enlarges it, which OCR reads better (a 200 dpi scan loses words read as it is);
    /// a much finer one is shrunk, which OCR reads faster. Within this, the JPEG is the rendering's
    /// own pixels without the second encoding.
    /// </summary>
    private const double ResolutionTolerance = 0.05;

    /// <summary>How far the image may fall short of the page's edges, in points, and still count as the page.</summary>
    private const double EdgeTolerancePoints = 6;

    /// <summary>An embedded JPEG that can stand for its whole page, with its resolution.</summary>
    public sealed record PageImage(int Page, int Width, int Height, int PixelsPerInch);

    /// <summary>The pages among <paramref name="pages"/> whose only content is one usable JPEG.</summary>
    /// <param name="renderDpi">The resolution each page would be rendered at.</param>
    public async Task<IReadOnlyDictionary<int, PageImage>> FindAsync(string pdf, IReadOnlyList<int> pages, IReadOnlyDictionary<int, PdfPageGeometry> geometry,
        Func<PdfPageGeometry, int> renderDpi, CancellationToken cancellationToken)
    {
        if (pages.Count == 0) return new Dictionary<int, PageImage>();
        var o = options.Value;
        var list = await ToolProcess.RunAsync("pdfimages", ["-list", "-f", pages.Min().ToString(CultureInfo.InvariantCulture),
                "-l", pages.Max().ToString(CultureInfo.InvariantCulture), pdf],
            TimeSpan.FromSeconds(o.DocumentTimeoutSeconds), o.ToolMemoryMegabytes, 4 * 1024 * 1024, cancellationToken);
        if (list.TimedOut || list.ExitCode != 0 || list.OutputTruncated) return new Dictionary<int, PageImage>();

        var rows = list.Output.Split('\n').Skip(2).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length >= 14).ToList();
        var found = new Dictionary<int, PageImage>();
        foreach (var page in pages)
        {
            var onPage = rows.Where(c => c[0] == page.ToString(CultureInfo.InvariantCulture)).ToList();
            if (onPage.Count != 1 || !geometry.TryGetValue(page, out var g) || g.Rotation != 0) continue;
            var c = onPage[0];
            // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
            if (c[2] != "image" || c[8] != "jpeg" || c[7] != "8" || c[5] is not ("gray" or "rgb")) continue;
            if (!int.TryParse(c[3], CultureInfo.InvariantCulture, out var width) || !int.TryParse(c[4], CultureInfo.InvariantCulture, out var height)
                || !int.TryParse(c[12], CultureInfo.InvariantCulture, out var xppi) || !int.TryParse(c[13], CultureInfo.InvariantCulture, out var yppi)) continue;
            if (Math.Abs(xppi - renderDpi(g)) > renderDpi(g) * ResolutionTolerance || Math.Abs(xppi - yppi) > 2) continue;
            if (Math.Max(width, height) > o.MaxRenderSide || (long)width * height > o.MaxImageMegapixels * 1_000_000L) continue;
            // Upright over the whole page: its size at its resolution is the page's size (a quarter turn swaps them).
            if (Math.Abs(width * 72.0 / xppi - g.Width) > EdgeTolerancePoints || Math.Abs(height * 72.0 / yppi - g.Height) > EdgeTolerancePoints) continue;
            found[page] = new PageImage(page, width, height, xppi);
        }
        return found;
    }

    /// <summary>Writes the page's JPEG as stored in the file; null when it cannot be had, and the page is rendered instead.</summary>
    public async Task<string?> ExtractAsync(string pdf, PageImage image, string outputBase, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var number = image.Page.ToString(CultureInfo.InvariantCulture);
        var extract = await ToolProcess.RunAsync("pdfimages", ["-j", "-f", number, "-l", number, pdf, outputBase],
            TimeSpan.FromSeconds(o.PageTimeoutSeconds), o.ToolMemoryMegabytes, 4096, cancellationToken);
        var path = outputBase + "-000.jpg";
        if (extract.TimedOut || extract.ExitCode != 0 || !File.Exists(path)) return null;
        // The stored stream must be the JPEG the listing described, or it is not used.
        await using (var file = File.OpenRead(path))
        {
            if (ImageHeader.TryReadSize(file, DocumentKind.Jpeg) == (image.Width, image.Height)) return path;
        }
        File.Delete(path);
        return null;
    }
}

/// <summary>A page's size in points and its rotation, as <c>pdfinfo</c> gives them.</summary>
public sealed record PdfPageGeometry(double Width, double Height, int Rotation);
