using System.Globalization;
using Microsoft.Extensions.Options;

namespace MotCua.FunctionApp.Documents.Text;

/// <summary>
/// Reads images with the <c>tesseract</c> command, single-threaded (<c>OMP_THREAD_LIMIT=1</c> is about
/// three times faster on small machines), at most <see cref="TextOptions.OcrWorkers"/> at a time.
/// </summary>
public sealed class TesseractOcr(IOptions<TextOptions> options)
{
    private static readonly Dictionary<string, string> SingleThread = new() { ["OMP_THREAD_LIMIT"] = "1" };
    private readonly SemaphoreSlim _workers = new(options.Value.OcrWorkers, options.Value.OcrWorkers);

    /// <summary>A slot in the worker pool; rendering a page holds it too, since that is the other heavy half.</summary>
    public async Task<IDisposable> WorkerAsync(CancellationToken cancellationToken)
    {
        await _workers.WaitAsync(cancellationToken);
        return new Release(_workers);
    }

    /// <summary>Every page of the image (a TIFF may hold several), numbered from <paramref name="firstPage"/>.</summary>
    /// <param name="pixelsPerInch">The image's resolution where the caller knows it better than the file's header does.</param>
    public async Task<IReadOnlyList<PageText>> ReadAsync(string imagePath, int firstPage, CancellationToken cancellationToken, int? pixelsPerInch = null)
    {
        var o = options.Value;
        var outputBase = imagePath + ".ocr";
        try
        {
            string[] resolution = pixelsPerInch is { } ppi ? ["--dpi", ppi.ToString(CultureInfo.InvariantCulture)] : [];
            var result = await ToolProcess.RunAsync("tesseract", [imagePath, outputBase, .. resolution, "-l", o.Language, "txt", "tsv"],
                TimeSpan.FromSeconds(o.PageTimeoutSeconds), o.ToolMemoryMegabytes, 4096, cancellationToken, SingleThread);
            if (result.TimedOut) return [new PageText(firstPage, string.Empty, PageSources.None, null, TextFailures.Timeout)];
            if (result.ExitCode != 0 || !File.Exists(outputBase + ".txt"))
                return [new PageText(firstPage, string.Empty, PageSources.None, null, $"{TextFailures.Unreadable}: {FirstLine(result.Error)}")];

            var texts = (await File.ReadAllTextAsync(outputBase + ".txt", cancellationToken)).Split('\f');
            var confidences = File.Exists(outputBase + ".tsv") ? Confidences(await File.ReadAllLinesAsync(outputBase + ".tsv", cancellationToken)) : [];
            var pages = new List<PageText>();
            for (var i = 0; i < texts.Length; i++)
            {
                // tesseract ends its text with a form feed: the last piece is empty, not a page.
                if (i == texts.Length - 1 && i > 0 && string.IsNullOrWhiteSpace(texts[i])) break;
                pages.Add(new PageText(firstPage + i, texts[i].Trim(), PageSources.Ocr, confidences.GetValueOrDefault(i + 1)));
            }
            return pages;
        }
        finally
        {
            File.Delete(outputBase + ".txt");
            File.Delete(outputBase + ".tsv");
        }
    }

    /// <summary>Mean word confidence per page from tesseract's TSV (level 5 rows are words; -1 marks non-words).</summary>
    private static Dictionary<int, double?> Confidences(string[] tsv)
    {
        var sums = new Dictionary<int, (double Sum, int Count)>();
        foreach (var line in tsv.Skip(1))
        {
            var cells = line.Split('\t');
            if (cells.Length < 12 || cells[0] != "5") continue;
            if (!int.TryParse(cells[1], CultureInfo.InvariantCulture, out var page)) continue;
            if (!double.TryParse(cells[10], CultureInfo.InvariantCulture, out var confidence) || confidence < 0 || string.IsNullOrWhiteSpace(cells[11])) continue;
            var (sum, count) = sums.GetValueOrDefault(page);
            sums[page] = (sum + confidence, count + 1);
        }
        return sums.ToDictionary(p => p.Key, p => (double?)Math.Round(p.Value.Sum / p.Value.Count, 1));
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "no output";

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
        }
    }
}
