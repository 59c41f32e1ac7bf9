using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.Options;
using MotCua.Domain.Documents;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;
using WordParagraph = DocumentFormat.OpenXml.Wordprocessing.Paragraph;

namespace MotCua.FunctionApp.Documents.Text;

/// <summary>
/// Office files and archives, read in this process. The archive's directory is judged before any
/// entry is opened (entry count, declared expanded size, size of each XML part), then Word and Excel
/// text is read with the Open XML SDK's forward-only reader, up to a character cap. The reader loads a
/// whole text run, cell or shared string at once, so each part is held to
/// <see cref="TextOptions.MaxOfficePartCharacters"/> (also enforced while parsing, should the directory
/// lie): a ZIP bomb, one huge text run or a corrupt file fails its document with a reason, and memory
/// stays within a few times that cap. Other kinds are checked, not read.
/// </summary>
public sealed class OfficeTextReader(IOptions<TextOptions> options)
{
    /// <summary>The text is cut into "pages" of this size, the size of a PDF page's text at most.</summary>
    private const int PageChars = 30_000;

    public async Task<DocumentText> ReadAsync(string path, DocumentKind kind, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.DocumentTimeoutSeconds));
        try
        {
            return await Task.Run(() => Read(path, kind, o, timeout.Token), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DocumentText.Failed(TextFailures.Timeout, $"Reading the {kind.Slug()} file took too long.");
        }
    }

    private static DocumentText Read(string path, DocumentKind kind, TextOptions o, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        try
        {
            if (CheckArchive(file, o) is { } refused) return refused;
            file.Position = 0;
            var text = new PageWriter(o.MaxOfficeTextCharacters);
            switch (kind)
            {
                case DocumentKind.Docx:
                    ReadWord(file, o, text, cancellationToken);
                    break;
                case DocumentKind.Xlsx:
                    ReadExcel(file, o, text, cancellationToken);
                    break;
                default:
                    return new DocumentText([]);
            }
            return new DocumentText(text.Pages());
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // Whatever a corrupt or hostile package makes the readers throw (a part past the character cap
            // among them: an XmlException), the document fails, not the worker.
            return DocumentText.Failed(TextFailures.Malformed, $"The {kind.Slug()} file cannot be read: {e.Message}");
        }
    }

    /// <summary>The archive's own directory, read before any entry: too many entries, or more declared bytes than allowed, and nothing is expanded.</summary>
    private static DocumentText? CheckArchive(FileStream file, TextOptions o)
    {
        if (ZipDirectoryEnd.Read(file) is not { } end) return DocumentText.Failed(TextFailures.Malformed, "The ZIP directory cannot be read.");
        if (end.Entries > o.MaxArchiveEntries)
            return DocumentText.Failed(TextFailures.ArchiveTooLarge, $"The archive holds {end.Entries} entries; at most {o.MaxArchiveEntries} are accepted.");
        file.Position = 0;
        using var archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        // The sizes the directory declares; a directory that lies still meets the per-part character limit, the text cap and the timeout.
        var expanded = archive.Entries.Sum(e => e.Length);
        var cap = o.MaxArchiveExpandedMegabytes * 1024L * 1024;
        if (expanded > cap) return DocumentText.Failed(TextFailures.ArchiveTooLarge, $"The archive expands to {expanded} bytes; at most {cap} are accepted.");
        // A part's characters are at most its bytes, so an XML part within the cap in bytes is within it in characters.
        var largest = archive.Entries.Where(IsXmlPart).MaxBy(e => e.Length);
        return largest is not null && largest.Length > o.MaxOfficePartCharacters
            ? DocumentText.Failed(TextFailures.ArchiveTooLarge, $"The part {largest.FullName} expands to {largest.Length} bytes; at most {o.MaxOfficePartCharacters} are accepted in one part.")
            : null;
    }

    private static bool IsXmlPart(ZipArchiveEntry entry) =>
        entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || entry.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase);

    private static OpenSettings Settings(TextOptions o) => new() { MaxCharactersInPart = o.MaxOfficePartCharacters };

    private static void ReadWord(Stream file, TextOptions o, PageWriter text, CancellationToken cancellationToken)
    {
        using var document = WordprocessingDocument.Open(file, false, Settings(o));
        var body = document.MainDocumentPart ?? throw new InvalidDataException("The file has no main document part.");
        using var reader = OpenXmlReader.Create(body);
        while (!text.Full && reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.ElementType == typeof(WordText) && reader.IsStartElement) text.Append(reader.GetText());
            else if (reader.ElementType == typeof(WordParagraph) && reader.IsEndElement) text.EndBlock();
        }
    }

    private static void ReadExcel(Stream file, TextOptions o, PageWriter text, CancellationToken cancellationToken)
    {
        using var document = SpreadsheetDocument.Open(file, false, Settings(o));
        var workbook = document.WorkbookPart ?? throw new InvalidDataException("The file has no workbook part.");
        var shared = SharedStrings(workbook, o.MaxOfficeTextCharacters, cancellationToken);
        foreach (var sheet in workbook.Workbook?.Sheets?.Elements<Sheet>() ?? [])
        {
            if (text.Full) break;
            if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part) continue;
            using var reader = OpenXmlReader.Create(part);
            while (!text.Full && reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.ElementType == typeof(Cell) && reader.IsStartElement)
                {
                    var cell = (Cell)reader.LoadCurrentElement()!;
                    text.Append(CellText(cell, shared));
                    text.Append(" ");
                }
                else if (reader.ElementType == typeof(Row) && reader.IsEndElement)
                {
                    text.EndBlock();
                }
            }
            text.EndPage();
        }
    }

    private static string CellText(Cell cell, List<string> shared)
    {
        if (cell.DataType?.Value == CellValues.SharedString)
            return int.TryParse(cell.CellValue?.Text, out var index) && index >= 0 && index < shared.Count ? shared[index] : string.Empty;
        if (cell.DataType?.Value == CellValues.InlineString) return cell.InlineString?.InnerText ?? string.Empty;
        return cell.CellValue?.Text ?? string.Empty;
    }

    /// <summary>The workbook's shared strings, up to the text cap: strings past it read as empty.</summary>
    private static List<string> SharedStrings(WorkbookPart workbook, int maxCharacters, CancellationToken cancellationToken)
    {
        var strings = new List<string>();
        if (workbook.SharedStringTablePart is not { } part) return strings;
        var total = 0;
        using var reader = OpenXmlReader.Create(part);
        while (total < maxCharacters && reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.ElementType != typeof(SharedStringItem) || !reader.IsStartElement) continue;
            var value = reader.LoadCurrentElement()!.InnerText;
            strings.Add(value);
            total += value.Length;
        }
        return strings;
    }

    /// <summary>Text cut into pages of at most <see cref="PageChars"/>, at a block's end where it can, up to a total cap.</summary>
    private sealed class PageWriter(int maxCharacters)
    {
        private readonly List<PageText> _pages = [];
        private readonly StringBuilder _page = new();
        private int _total;

        public bool Full => _total >= maxCharacters;

        public void Append(string value)
        {
            foreach (var c in value.AsSpan(0, Math.Min(value.Length, maxCharacters - _total)))
            {
                if (_page.Length >= PageChars) EndPage();
                _page.Append(c);
                _total++;
            }
        }

        public void EndBlock()
        {
            _page.Append('\n');
            if (_page.Length >= PageChars * 9 / 10) EndPage();
        }

        public void EndPage()
        {
            var text = _page.ToString().Trim();
            _page.Clear();
            if (text.Length > 0) _pages.Add(new PageText(_pages.Count + 1, text, PageSources.TextLayer, null));
        }

        public IReadOnlyList<PageText> Pages()
        {
            EndPage();
            return _pages;
        }
    }
}
