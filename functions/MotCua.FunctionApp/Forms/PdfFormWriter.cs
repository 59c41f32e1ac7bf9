using QRCoder;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace MotCua.FunctionApp.Forms;

/// <summary>
/// Lays out a one-page A4 form from the top down: centred headings, wrapped lines and a QR code.
/// </summary>
internal sealed class PdfFormWriter : IDisposable
{
    private const double PageWidth = 595, PageHeight = 842, Margin = 56;
    private readonly PdfDocumentBuilder _builder = new();
    private readonly PdfPageBuilder _page;
    private readonly PdfTypesetter _text;
    private double _y = PageHeight - Margin;

    public PdfFormWriter(FormFonts fonts)
    {
        _page = _builder.AddPage(PageSize.A4);
        _text = new PdfTypesetter(_builder, fonts);
    }

    /// <summary>Two heading blocks side by side: the unit on the left, the national motto on the right.</summary>
    public void Letterhead(string unitName)
    {
        var top = _y;
        Column(unitName.ToUpperInvariant(), Margin, 230, 10, bold: true);
        _y = top;
        Column("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 240, 10, bold: true);
        Column("Độc lập - Tự do - Hạnh phúc", 300, 240, 10, bold: true);
        _y -= 18;
    }

    public void Title(string text, string? subtitle = null)
    {
        Centered(text, 14, bold: true);
        if (subtitle is not null) Centered(subtitle, 10, bold: false);
        _y -= 10;
    }

    public void Line(string text, double size = 11, bool bold = false, double indent = 0)
    {
        foreach (var line in _text.Wrap(_page, text, size, bold, PageWidth - 2 * Margin - indent))
        {
            _text.Write(_page, line, Margin + indent, _y, size, bold);
            _y -= size * 1.55;
        }
    }

    public void Field(string label, string value) => Line($"{label}: {value}");

    public void Gap(double points = 8) => _y -= points;

    /// <summary>A QR code at the bottom right, with a caption under it.</summary>
    public void QrCode(string content, string caption)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var cell = 2.4;
        var size = modules.Count * cell;
        var (x, y) = (PageWidth - Margin - size, Margin + 14);
        _page.SetTextAndFillColor(0, 0, 0);
        for (var row = 0; row < modules.Count; row++)
        {
            for (var column = 0; column < modules.Count; column++)
            {
                if (modules[row][column]) _page.DrawRectangle(new PdfPoint(x + column * cell, y + (modules.Count - 1 - row) * cell), cell, cell, lineWidth: 0, fill: true);
            }
        }
        _page.ResetColor();
        _text.Write(_page, PdfTypesetter.Clean(caption), x, y - 11, 8);
    }

    public byte[] Build() => _builder.Build();

    public void Dispose() => _builder.Dispose();

    private void Centered(string text, double size, bool bold) => Column(text, Margin, PageWidth - 2 * Margin, size, bold);

    private void Column(string text, double left, double width, double size, bool bold)
    {
        foreach (var line in _text.Wrap(_page, text, size, bold, width))
        {
            _text.Write(_page, line, left + (width - _text.Width(_page, line, size, bold)) / 2, _y, size, bold);
            _y -= size * 1.5;
        }
    }
}
