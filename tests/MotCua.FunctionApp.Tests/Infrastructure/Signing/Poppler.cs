using System.Globalization;
using System.Xml.Linq;
using StbImageSharp;

namespace MotCua.FunctionApp.Tests.Infrastructure.Signing;

/// <summary>A word as pdftotext -bbox places it: points, y measured down from the top of the page.</summary>
public sealed record PdfWord(string Text, double XMin, double YMin, double XMax, double YMax);

/// <summary>A rendered page: RGB pixels, and the scale from points to pixels.</summary>
public sealed class RenderedPage(ImageResult image, double pixelsPerPoint)
{
    public int Width => image.Width;
    public int Height => image.Height;
    public double PixelsPerPoint => pixelsPerPoint;

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = (y * image.Width + x) * 3;
            return (image.Data[i], image.Data[i + 1], image.Data[i + 2]);
        }
    }

    /// <summary>The smallest box (pixels, inclusive) holding every pixel that <paramref name="matches"/>; null when none does.</summary>
    public (int Left, int Top, int Right, int Bottom)? Bounds(Func<(byte R, byte G, byte B), bool> matches)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                if (!matches(this[x, y])) continue;
                (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
            }
        }
        return right < 0 ? null : (left, top, right, bottom);
    }

    public int Count(Func<(byte R, byte G, byte B), bool> matches, int left, int top, int right, int bottom)
    {
        var count = 0;
        for (var y = top; y <= bottom; y++)
        {
            for (var x = left; x <= right; x++) count += matches(this[x, y]) ? 1 : 0;
        }
        return count;
    }
}

/// <summary>poppler's command-line readers, run on a PDF in a temporary folder.</summary>
public static class Poppler
{
    public static Task<string> TextAsync(byte[] pdf) => WithFileAsync(pdf, file => Tools.RunAsync("pdftotext", file, "-"));

    public static Task<string> ImagesAsync(byte[] pdf) => WithFileAsync(pdf, file => Tools.RunAsync("pdfimages", "-list", file));

    public static Task<string> FontsAsync(byte[] pdf) => WithFileAsync(pdf, file => Tools.RunAsync("pdffonts", file));

    public static async Task<IReadOnlyList<PdfWord>> WordsAsync(byte[] pdf, int page = 1)
    {
        var html = await WithFileAsync(pdf, file => Tools.RunAsync("pdftotext", "-bbox", "-f", $"{page}", "-l", $"{page}", file, "-"));
        XNamespace x = "http://www.w3.org/1999/xhtml";
        double Number(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);
        return [.. XDocument.Parse(html).Descendants(x + "word")
            .Select(w => new PdfWord(w.Value, Number(w, "xMin"), Number(w, "yMin"), Number(w, "xMax"), Number(w, "yMax")))];
    }

    public static Task<RenderedPage> RenderAsync(byte[] pdf, int page = 1, int dpi = 144) => WithFileAsync(pdf, async file =>
    {
        var prefix = Path.Combine(Path.GetDirectoryName(file)!, "page");
        await Tools.RunAsync("pdftoppm", "-r", $"{dpi}", "-png", "-singlefile", "-f", $"{page}", "-l", $"{page}", file, prefix);
        var image = ImageResult.FromMemory(await File.ReadAllBytesAsync(prefix + ".png"), ColorComponents.RedGreenBlue);
        return new RenderedPage(image, dpi / 72.0);
    });

    public static Task<string> QrCodesAsync(byte[] pdf, int page = 1) => WithFileAsync(pdf, async file =>
    {
        var prefix = Path.Combine(Path.GetDirectoryName(file)!, "page");
        await Tools.RunAsync("pdftoppm", "-r", "200", "-png", "-singlefile", "-f", $"{page}", "-l", $"{page}", file, prefix);
        return (await Tools.RunAsync("zbarimg", "--quiet", "--raw", prefix + ".png")).Trim();
    });

    private static async Task<T> WithFileAsync<T>(byte[] pdf, Func<string, Task<T>> read)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-drawing-").FullName;
        try
        {
            var file = Path.Combine(folder, "drawing.pdf");
            await File.WriteAllBytesAsync(file, pdf);
            return await read(file);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
