namespace MotCua.FunctionApp.Documents.Text;

public static class PageSources
{
    public const string TextLayer = "text";
    public const string Ocr = "ocr";
    public const string None = "none";
}

/// <summary>One page's text, where it came from, and how sure OCR was (0–100; null for a text layer).</summary>
public sealed record PageText(int Number, string Text, string Source, double? Confidence, string? Error = null);

/// <summary>A document's pages, or why it could not be read at all.</summary>
public sealed record DocumentText(IReadOnlyList<PageText> Pages, string? FailureCode = null, string? FailureDetail = null)
{
    public static DocumentText Failed(string code, string detail) => new([], code, detail);

    public bool IsFailed => FailureCode is not null;
}

/// <summary>Why a document could not be read, as codes the app and officials can rely on.</summary>
public static class TextFailures
{
    public const string Encrypted = "encrypted";
    public const string Malformed = "malformed";
    public const string TooManyPages = "too-many-pages";
    public const string ImageTooLarge = "image-too-large";
    public const string Timeout = "timeout";
    public const string Unreadable = "unreadable";
    public const string ExtensionMismatch = "extension-mismatch";
    public const string Replaced = "replaced-after-upload";
    public const string OcrLimit = "ocr-limit";
    public const string ArchiveTooLarge = "archive-too-large";
}
