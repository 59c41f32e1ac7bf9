using System.Diagnostics;

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

    public static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            return await RunAsync("pdftotext", "-layout", file, "-");
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
