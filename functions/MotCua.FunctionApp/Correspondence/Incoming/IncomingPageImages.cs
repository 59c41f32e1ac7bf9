using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MotCua.Domain.Documents;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Documents.Processing;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>
/// One page of an incoming document's PDF as a PNG, for reading on a phone: the file streams from
/// blob storage to a private temporary folder, poppler renders the one page at 100 dpi (less for an
/// oversized page, so no image passes <see cref="MaxSide"/> pixels), under the same memory limit and
/// timeout as OCR, a few at a time. The image is handed back as a temporary file removed when the
/// response has been sent.
/// </summary>
public sealed partial class IncomingPageImages(DocumentSteps steps, IOptions<TextOptions> options)
{
    public const int Dpi = 100;
    public const int MaxSide = 2000;
    private readonly SemaphoreSlim _renderers = new(Math.Max(1, Environment.ProcessorCount), Math.Max(1, Environment.ProcessorCount));

    /// <summary>The page as a PNG stream (deleted when closed); refuses a file that is not a PDF, a page it does not have, and a page that cannot be rendered.</summary>
    public async Task<Stream> RenderAsync(DocumentEntity file, int page, CancellationToken cancellationToken)
    {
        if (VerifySignaturesFunction.DocumentKindOf(file) != DocumentKind.Pdf)
            throw Unavailable("Chỉ hiển thị được trang của tệp PDF.", "Only the pages of a PDF file are shown as images.");
        var o = options.Value;
        if (page < 1 || page > o.MaxPages || file.PageCount is { } count && page > count) throw PageNotFound(page);
        await _renderers.WaitAsync(cancellationToken);
        try
        {
            using var folder = DocumentSteps.NewWorkFolder();
            var pdf = await steps.DownloadAsync(file, folder.Path, cancellationToken);
            var number = page.ToString(CultureInfo.InvariantCulture);
            // Pages 1 to n: a page past the end is then told apart from a file that cannot be read.
            var info = await ToolProcess.RunAsync("pdfinfo", ["-l", number, pdf], TimeSpan.FromSeconds(o.PageTimeoutSeconds), o.ToolMemoryMegabytes, 256 * 1024,
                cancellationToken);
            if (info.TimedOut || info.ExitCode != 0) throw Unavailable("Không đọc được tệp PDF.", "The PDF cannot be read.");
            if (PagesLine().Match(info.Output) is { Success: true } pages && int.Parse(pages.Groups[1].Value, CultureInfo.InvariantCulture) < page) throw PageNotFound(page);
            var longSide = PageSizeLine().Matches(info.Output).FirstOrDefault(m => m.Groups[1].Value == number) is { } size
                ? Math.Max(double.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(size.Groups[3].Value, CultureInfo.InvariantCulture))
                : 842;
            var dpi = (int)Math.Clamp(Math.Min(Dpi, MaxSide * 72 / Math.Max(longSide, 1)), 1, Dpi);

            var imageBase = Path.Combine(folder.Path, "page");
            var render = await ToolProcess.RunAsync("pdftoppm", ["-f", number, "-l", number, "-r", dpi.ToString(CultureInfo.InvariantCulture), "-png", "-singlefile", pdf, imageBase],
                TimeSpan.FromSeconds(o.PageTimeoutSeconds), o.ToolMemoryMegabytes, 4096, cancellationToken);
            if (render.TimedOut) throw Unavailable("Hiển thị trang quá lâu.", "Rendering the page took too long.");
            if (render.ExitCode != 0 || !File.Exists(imageBase + ".png")) throw Unavailable("Không hiển thị được trang này.", "The page cannot be rendered.");

            // Out of the work folder (removed now), into a file of its own that goes when the response closes it.
            var image = Path.Combine(Path.GetTempPath(), $"motcua-page-{Guid.NewGuid():N}.png");
            File.Move(imageBase + ".png", image);
            return new FileStream(image, FileMode.Open, FileAccess.Read, FileShare.Delete, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        }
        catch (DocumentReplacedException)
        {
            throw Unavailable("Tệp đã bị thay đổi sau khi nhận.", "The file was replaced after it was received.");
        }
        finally
        {
            _renderers.Release();
        }
    }

    public static ProblemException PageNotFound(int page) => new(404, "page-not-found", "Không có trang này", "No such page",
        $"Tệp không có trang {page}.", $"The file has no page {page}.");

    private static ProblemException Unavailable(string vi, string en) => new(422, "page-image-unavailable", "Không hiển thị được trang", "The page cannot be shown", vi, en);

    [GeneratedRegex(@"^Pages:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex PagesLine();

    [GeneratedRegex(@"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts", RegexOptions.Multiline)]
    private static partial Regex PageSizeLine();
}
