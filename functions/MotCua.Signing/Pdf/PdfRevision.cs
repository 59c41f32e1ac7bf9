using System.Globalization;
using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace MotCua.Signing.Pdf;

/// <summary>
/// The latest revision of a PDF as an incremental update needs it: where its cross-reference
/// section starts and in which form, the trailer's values, the catalog, the pages and the objects
/// they reference. PdfPig reads the file through the seekable stream on demand; the file is never
/// held whole.
/// </summary>
internal sealed class PdfRevision : IDisposable
{
    private const int TailBytes = 2048;
    private readonly PdfDocument _document;

    private PdfRevision(PdfDocument document, long length, long startXref, bool xrefIsStream)
    {
        _document = document;
        Length = length;
        StartXref = startXref;
        CrossReferenceIsStream = xrefIsStream;
    }

    /// <summary>The file's length: the update is appended here.</summary>
    public long Length { get; }

    /// <summary>The offset of the latest cross-reference section, the new section's <c>/Prev</c>.</summary>
    public long StartXref { get; }

    /// <summary>A file whose latest section is a cross-reference stream is updated with one too.</summary>
    public bool CrossReferenceIsStream { get; }

    /// <summary>The page objects in reading order.</summary>
    public IReadOnlyList<IndirectReference> Pages => _pages;
    private readonly List<IndirectReference> _pages = [];

    public int Size => _document.Structure.Trailer.Size;
    public IndirectReference Root => _document.Structure.Trailer.Root;
    public IndirectReference? Info => (_document.Structure.Trailer.Info as IndirectReferenceToken)?.Data;
    public IReadOnlyList<IToken>? Identifier => _document.Structure.Trailer.Identifier;

    /// <summary>The catalog as the file holds it, references unresolved.</summary>
    public DictionaryToken Catalog => Dictionary(Root);

    public static PdfRevision Open(Stream pdf)
    {
        if (!pdf.CanSeek) throw new ArgumentException("The PDF must be readable with seeking.", nameof(pdf));
        var length = pdf.Length;
        var (startXref, isStream) = ReadStartXref(pdf, length);
        PdfDocument document;
        try
        {
            pdf.Position = 0;
            document = PdfDocument.Open(pdf, new ParsingOptions { UseLenientParsing = false, SkipMissingFonts = true });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PdfSigningException("unreadable-pdf", $"The PDF cannot be read: {e.Message}", e);
        }
        if (document.IsEncrypted)
        {
            document.Dispose();
            throw new PdfSigningException("encrypted-pdf", "An encrypted PDF cannot be signed.");
        }
        var revision = new PdfRevision(document, length, startXref, isStream);
        if (revision.Catalog.Get<IndirectReferenceToken>(NameToken.Pages) is { } root)
            revision.CollectPages(root.Data, depth: 0);
        if (revision._pages.Count == 0)
        {
            revision.Dispose();
            throw new PdfSigningException("unreadable-pdf", "The PDF has no pages.");
        }
        return revision;
    }

    /// <summary>The object's own token: a dictionary, array, stream or value, never resolved further.</summary>
    public IToken Object(IndirectReference reference) => _document.Structure.GetObject(reference).Data;

    public DictionaryToken Dictionary(IndirectReference reference) => Object(reference) switch
    {
        DictionaryToken dictionary => dictionary,
        StreamToken stream => stream.StreamDictionary,
        var other => throw new PdfSigningException("unreadable-pdf", $"Object {reference} is a {other?.GetType().Name ?? "null"}, not a dictionary."),
    };

    /// <summary>The value behind a token: references are followed, anything else is returned as is.</summary>
    public IToken? Resolve(IToken? token) => token is IndirectReferenceToken reference ? Object(reference.Data) : token;

    /// <summary>Each page's media box, inherited from the page tree where the page has none (ISO 32000-1 §7.7.3.4).</summary>
    public IReadOnlyList<PdfRectangle> PageBoxes() => [.. _pages.Select(MediaBox)];

    private PdfRectangle MediaBox(IndirectReference page)
    {
        var node = Dictionary(page);
        for (var depth = 0; depth < 64; depth++)
        {
            if (Resolve(node.Data.GetValueOrDefault(NameToken.MediaBox.Data)) is ArrayToken { Length: 4 } box
                && box.Data.Select(Resolve).OfType<NumericToken>().Select(n => n.Double).ToArray() is { Length: 4 } v)
                return new PdfRectangle(Math.Min(v[0], v[2]), Math.Min(v[1], v[3]), Math.Max(v[0], v[2]), Math.Max(v[1], v[3]));
            if (node.Get<IndirectReferenceToken>(NameToken.Parent) is not { } parent) break;
            node = Dictionary(parent.Data);
        }
        return new PdfRectangle(0, 0, 595, 842);
    }

    public void Dispose() => _document.Dispose();

    // Page tree nodes reference their kids indirectly (ISO 32000-1 §7.7.3.2); a cycle or an absurd
    // depth marks a malformed file rather than a deep one.
    private void CollectPages(IndirectReference node, int depth)
    {
        if (depth > 64) throw new PdfSigningException("unreadable-pdf", "The PDF's page tree is too deep.");
        var dictionary = Dictionary(node);
        if (dictionary.Get<NameToken>(NameToken.Type) is { } type && type.Equals(NameToken.Page))
        {
            _pages.Add(node);
            return;
        }
        if (Resolve(dictionary.Data.GetValueOrDefault(NameToken.Kids.Data)) is not ArrayToken kids) return;
        foreach (var kid in kids.Data.OfType<IndirectReferenceToken>())
            CollectPages(kid.Data, depth + 1);
    }

    // The last "startxref" of the file is authoritative (ISO 32000-1 §7.5.5); PdfPig may have
    // repaired a broken one, which an update must not point at.
    private static (long Offset, bool IsStream) ReadStartXref(Stream pdf, long length)
    {
        var tailLength = (int)Math.Min(TailBytes, length);
        var tail = new byte[tailLength];
        pdf.Position = length - tailLength;
        pdf.ReadExactly(tail);
        var text = Encoding.Latin1.GetString(tail);
        var at = text.LastIndexOf("startxref", StringComparison.Ordinal);
        if (at < 0 || !text.Contains("%%EOF", StringComparison.Ordinal))
            throw new PdfSigningException("unreadable-pdf", "The PDF has no startxref at its end.");
        var digits = new string(text[(at + "startxref".Length)..].SkipWhile(char.IsWhiteSpace).TakeWhile(char.IsAsciiDigit).ToArray());
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset <= 0 || offset >= length)
            throw new PdfSigningException("unreadable-pdf", "The PDF's startxref points outside the file.");

        var head = new byte[16];
        pdf.Position = offset;
        var read = pdf.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var isTable = Encoding.Latin1.GetString(head, 0, read).StartsWith("xref", StringComparison.Ordinal);
        return (offset, !isTable);
    }
}
