using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>Command-line tools: independent readers (poppler, zbar) to check what the app writes, and the broker's CLI.</summary>
public static class Tools
{
    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await error}");
        return await output;
    }

    public static Task<string> PdfTextAsync(byte[] pdf) => OnFileAsync(pdf, file => RunAsync("pdftotext", "-layout", file, "-"));

    /// <summary>The page count poppler reads from the document.</summary>
    public static Task<int> PdfPageCountAsync(byte[] pdf) => OnFileAsync(pdf, async file =>
    {
        var info = await RunAsync("pdfinfo", file);
        return int.Parse(Regex.Match(info, @"^Pages:\s+(\d+)", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);
    });

    /// <summary>Every word poppler finds, with its page (from 1) and its box in points from the top left.</summary>
    public static Task<IReadOnlyList<PdfWord>> PdfWordsAsync(byte[] pdf) => OnFileAsync(pdf, async file =>
    {
        var html = XDocument.Parse(await RunAsync("pdftotext", "-bbox", file, "-"));
        XNamespace x = "http://www.w3.org/1999/xhtml";
        IReadOnlyList<PdfWord> words = [.. html.Descendants(x + "page").SelectMany((page, i) => page.Elements(x + "word").Select(w => new PdfWord(i + 1, w.Value,
            Number(w, "xMin"), Number(w, "yMin"), Number(w, "xMax"), Number(w, "yMax"))))];
        return words;
    });

    private static double Number(XElement element, string name) => double.Parse(element.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    private static async Task<T> OnFileAsync<T>(byte[] pdf, Func<string, Task<T>> read)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            return await read(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Renders the first page and decodes the QR codes on it.</summary>
    public static async Task<string> QrCodesAsync(byte[] pdf)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-qr-").FullName;
        try
        {
            var file = Path.Combine(folder, "form.pdf");
            await File.WriteAllBytesAsync(file, pdf);
            await RunAsync("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", file, Path.Combine(folder, "page"));
            var image = Directory.GetFiles(folder, "page*.png").Single();
            return (await RunAsync("zbarimg", "--quiet", "--raw", image)).Trim();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed record PdfWord(int Page, string Text, double XMin, double YMin, double XMax, double YMax);
