using Microsoft.Extensions.Options;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.Domain.Documents;
using MotCua.Domain.Tests.Correspondence;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// Incoming paper letters rendered as Decree 30 lays them out, read by the app's own text reader
/// (poppler's text layer, or tesseract on the scan), and the fields suggested from the first page.
/// Three readings: "text" is the PDF's text layer; "scan" a clean 200 dpi grey scan; "worn" a worn
/// copy, turned, specked and saved as a poor JPEG inside a scanner's PDF, read through the whole
/// PDF path (no text layer found, rendered at 300 dpi, OCR).
/// With <c>MOTCUA_UPDATE_LETTERS=1</c> every reading of every letter runs and its text is written
/// to the domain tests' fixtures (tests/MotCua.Domain.Tests/Correspondence/Letters), which assert
/// the same suggestions without tools.
/// </summary>
public sealed class LetterSuggestionTests
{
    private static readonly bool Update = Environment.GetEnvironmentVariable("MOTCUA_UPDATE_LETTERS") == "1";

    /// <summary>Worn copies are slow to read (a 300 dpi page of noise each): a few in ordinary runs, all when updating.</summary>
    private static readonly string[] WornInEveryRun = ["cong-van-ubnd-tinh", "cong-van-vpcp-hoa-toc", "giay-moi-ubnd-phuong"];

    public static TheoryData<string, string> Readings()
    {
        var data = new TheoryData<string, string>();
        foreach (var letter in SampleLetters.All)
        {
            data.Add(letter.Name, "text");
            data.Add(letter.Name, "scan");
            if (Update || WornInEveryRun.Contains(letter.Name)) data.Add(letter.Name, "worn");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Readings))]
    public async Task FirstPage_OfASampleLetter_SuggestsItsFields(string name, string reading)
    {
        var letter = SampleLetters.All.Single(l => l.Name == name);
        var text = await ReadAsync(letter, reading);
        var page = text.Pages[0];
        if (Update) await File.WriteAllTextAsync(Path.Combine(RepositoryRoot.Path, "tests", "MotCua.Domain.Tests", "Correspondence", "Letters", $"{name}.{reading}.txt"), page.Text + "\n");

        Assert.Equal(reading == "text" ? PageSources.TextLayer : PageSources.Ocr, page.Source);
        Assert.Equal(SampleLetterSuggestions.Expected[$"{name}.{reading}"], FirstPageSuggestions.From(text));
    }

    private static async Task<DocumentText> ReadAsync(OfficialLetter letter, string reading)
    {
        var options = Options.Create(new TextOptions { OcrWorkers = 1 });
        var reader = new DocumentTextReader(new TesseractOcr(options), new OfficeTextReader(options), new ScannedPageImages(options), options);
        var folder = Directory.CreateTempSubdirectory("motcua-letter-read-").FullName;
        try
        {
            var (bytes, kind) = reading switch
            {
                "text" => (OfficialLetters.Pdf(letter), DocumentKind.Pdf),
                "scan" => (await OfficialLetters.ScanPngAsync(letter), DocumentKind.Png),
                _ => (await OfficialLetters.WornScanPdfAsync(letter), DocumentKind.Pdf),
            };
            var path = Path.Combine(folder, "letter" + (kind == DocumentKind.Png ? ".png" : ".pdf"));
            await File.WriteAllBytesAsync(path, bytes);
            var text = await reader.ReadAsync(path, kind, folder, CancellationToken.None);
            Assert.False(text.IsFailed, text.FailureDetail);
            return text;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
