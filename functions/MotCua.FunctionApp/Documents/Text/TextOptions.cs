using System.ComponentModel.DataAnnotations;

namespace MotCua.FunctionApp.Documents.Text;

public sealed class TextOptions
{
    public const string Section = "Text";

    /// <summary>OCR processes at once across the app: about one per core, since tesseract runs single-threaded.</summary>
    [Range(1, 64)]
    public int OcrWorkers { get; set; } = Environment.ProcessorCount;

    [Range(1, 3600)]
    public int PageTimeoutSeconds { get; set; } = 120;

    /// <summary>Reading a whole PDF's text layer.</summary>
    [Range(1, 3600)]
    public int DocumentTimeoutSeconds { get; set; } = 300;

    [Range(1, 100_000)]
    public int MaxPages { get; set; } = 1000;

    /// <summary>Address-space limit of each poppler or tesseract process, so a hostile file cannot exhaust the machine.</summary>
    [Range(64, 65_536)]
    public int ToolMemoryMegabytes { get; set; } = 2048;

    [Range(100, 100_000)]
    public int MaxImageSide { get; set; } = 20_000;

    [Range(1, 1000)]
    public int MaxImageMegapixels { get; set; } = 100;

    /// <summary>Pages are rendered at 300 dpi unless that would pass this many pixels on the long side.</summary>
    [Range(500, 20_000)]
    public int MaxRenderSide { get; set; } = 5000;

    /// <summary>Scanned pages read by OCR per document; later ones are listed as not read, so one long scan cannot hold every worker for hours.</summary>
    [Range(1, 100_000)]
    public int MaxOcrPages { get; set; } = 200;

    /// <summary>Entries an office file or archive may hold: a directory of millions is refused before it is read.</summary>
    [Range(1, 65_535)]
    public int MaxArchiveEntries { get; set; } = 10_000;

    /// <summary>What an office file or archive may expand to, by its directory; a ZIP bomb is refused before anything is expanded.</summary>
    [Range(1, 16_384)]
    public int MaxArchiveExpandedMegabytes { get; set; } = 512;

    /// <summary>
    /// Characters one XML part of an office file may hold. The reader loads a whole text run, cell or
    /// shared string at once, so this, not the archive's budget, bounds the memory one element can take.
    /// </summary>
    [Range(1000, 200_000_000)]
    public int MaxOfficePartCharacters { get; set; } = 16_000_000;

    /// <summary>Text read from one Word or Excel file; the rest is not indexed.</summary>
    [Range(1000, 50_000_000)]
    public int MaxOfficeTextCharacters { get; set; } = 2_000_000;

    public string Language { get; set; } = "vie";

    /// <summary>Fewer letters than this on a page means it is a scan: its text comes from OCR.</summary>
    [Range(0, 1000)]
    public int MinTextLayerLetters { get; set; } = 16;
}
