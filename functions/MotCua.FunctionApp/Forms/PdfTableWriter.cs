using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace MotCua.FunctionApp.Forms;

/// <summary>A table column: its heading and its width relative to the other columns.</summary>
public sealed record TableColumn(string Heading, double Weight);

/// <summary>
/// Lays out a ruled table over as many A4 landscape pages as its rows need: a title block on the first
/// page, the header row at the top of every page, each cell wrapped within its column, and "Trang N/M"
/// at the foot of every page. A row that does not fit under the rows above it moves whole to the next
/// page; only a row taller than a whole page is split, continuing on the next pages under the header
/// again (a register entry cut off would be a lost record).
/// PdfPig keeps every page's drawing operations in memory until the document is completed, so memory
/// grows with the number of rows. The pages go to the output stream when <see cref="Complete"/> is
/// called, by which time the page count is known for the page numbers. The writer holds nothing but
/// memory: one abandoned before it completes writes nothing more.
/// </summary>
internal sealed class PdfTableWriter
{
    private const double PageWidth = 842, PageHeight = 595;
    private const double Left = 42, Right = 28, Top = 34, Bottom = 40;
    private const double Size = 9, HeadingSize = 8.5, LineHeight = Size * 1.28, Padding = 3;
    private readonly PdfDocumentBuilder _builder;
    private readonly PdfTypesetter _text;
    private readonly IReadOnlyList<TableColumn> _columns;
    private readonly double[] _edges;
    private readonly List<PdfPageBuilder> _pages = [];
    private PdfPageBuilder _page;
    private double _y, _tableTop;
    private bool _pageHasRows;

    /// <param name="output">Must report its Position (PdfPig records object offsets): a file or memory stream.</param>
    /// <param name="agency">Printed at the top left of the first page.</param>
    /// <param name="title">Printed centred under it, with the period (if any) under the title.</param>
    public PdfTableWriter(Stream output, FormFonts fonts, string agency, string title, string? period, IReadOnlyList<TableColumn> columns)
    {
        if (columns.Count == 0 || columns.Any(c => !(c.Weight > 0))) throw new ArgumentException("A table needs columns of positive width.", nameof(columns));
        _builder = new PdfDocumentBuilder(output);
        _text = new PdfTypesetter(_builder, fonts);
        _columns = columns;
        _edges = ColumnEdges(columns);
        _page = AddPage();
        TitleBlock(agency, title, period);
    }

    /// <summary>Where the column rules stand, from the left edge of the page, left to right.</summary>
    public static double[] ColumnEdges(IReadOnlyList<TableColumn> columns)
    {
        var total = columns.Sum(c => c.Weight);
        var edges = new double[columns.Count + 1];
        edges[0] = Left;
        for (var i = 0; i < columns.Count; i++) edges[i + 1] = edges[i] + columns[i].Weight / total * (PageWidth - Left - Right);
        return edges;
    }

    public void Row(IReadOnlyList<string> cells)
    {
        if (cells.Count != _columns.Count) throw new ArgumentException($"A row has {cells.Count} cells; the table has {_columns.Count} columns.", nameof(cells));
        var lines = Cells(cells, Size, bold: false);
        var height = lines.Max(l => l.Count);
        if (_pageHasRows && height > LinesLeft()) NextPage();
        for (var from = 0; ; NextPage())
        {
            var count = Math.Min(height - from, Math.Max(1, LinesLeft()));
            DrawRow(lines, from, count, Size, bold: false, centred: false);
            _pageHasRows = true;
            from += count;
            if (from >= height) break;
        }
    }

    /// <summary>Numbers the pages and writes the whole document to the output stream (PdfPig completes a document when it is disposed).</summary>
    public void Complete()
    {
        CloseTable();
        for (var i = 0; i < _pages.Count; i++)
        {
            var number = $"Trang {i + 1}/{_pages.Count}";
            _text.Write(_pages[i], number, (PageWidth - _text.Width(_pages[i], number, Size)) / 2, Bottom - 22, Size);
        }
        _builder.Dispose();
    }

    /// <summary>The agency at the top left, the title and the period centred under it, then the header row.</summary>
    private void TitleBlock(string agency, string title, string? period)
    {
        _y -= 10;
        Centered(agency.ToUpperInvariant(), Left, 300, 10, bold: true);
        _y -= 12;
        Centered(title.ToUpperInvariant(), Left, PageWidth - Left - Right, 14, bold: true);
        if (period is not null) Centered(period, Left, PageWidth - Left - Right, 11, bold: false);
        _y -= 8;
        HeaderRow();
    }

    private PdfPageBuilder AddPage()
    {
        var page = _builder.AddPage(PageSize.A4, isPortrait: false);
        _pages.Add(page);
        _y = PageHeight - Top;
        _pageHasRows = false;
        return page;
    }

    private void NextPage()
    {
        CloseTable();
        _page = AddPage();
        HeaderRow();
    }

    private void HeaderRow()
    {
        _tableTop = _y;
        _page.DrawLine(new PdfPoint(_edges[0], _y), new PdfPoint(_edges[^1], _y), 0.8);
        var lines = Cells([.. _columns.Select(c => c.Heading)], HeadingSize, bold: true);
        DrawRow(lines, 0, lines.Max(l => l.Count), HeadingSize, bold: true, centred: true);
    }

    private IReadOnlyList<string>[] Cells(IReadOnlyList<string> cells, double size, bool bold) =>
        [.. cells.Select((cell, i) => _text.Wrap(_page, cell, size, bold, _edges[i + 1] - _edges[i] - 2 * Padding))];

    private int LinesLeft() => (int)Math.Floor((_y - Bottom - 2 * Padding) / LineHeight);

    /// <summary>Lines [from, from + count) of each cell, then the rule under them.</summary>
    private void DrawRow(IReadOnlyList<string>[] lines, int from, int count, double size, bool bold, bool centred)
    {
        var baseline = _y - Padding - size;
        for (var column = 0; column < lines.Length; column++)
        {
            var (left, width) = (_edges[column] + Padding, _edges[column + 1] - _edges[column] - 2 * Padding);
            for (var i = from; i < Math.Min(from + count, lines[column].Count); i++)
            {
                var line = lines[column][i];
                var x = centred ? left + (width - _text.Width(_page, line, size, bold)) / 2 : left;
                _text.Write(_page, line, x, baseline - (i - from) * LineHeight, size, bold);
            }
        }
        _y -= 2 * Padding + count * LineHeight;
        _page.DrawLine(new PdfPoint(_edges[0], _y), new PdfPoint(_edges[^1], _y), bold ? 0.8 : 0.4);
    }

    /// <summary>The vertical rules of the table on the current page, from the header's top to the last row.</summary>
    private void CloseTable()
    {
        for (var i = 0; i < _edges.Length; i++)
        {
            var width = i == 0 || i == _edges.Length - 1 ? 0.8 : 0.4;
            _page.DrawLine(new PdfPoint(_edges[i], _tableTop), new PdfPoint(_edges[i], _y), width);
        }
    }

    private void Centered(string text, double left, double width, double size, bool bold)
    {
        foreach (var line in _text.Wrap(_page, text, size, bold, width))
        {
            _text.Write(_page, line, left + (width - _text.Width(_page, line, size, bold)) / 2, _y, size, bold);
            _y -= size * 1.45;
        }
    }
}
