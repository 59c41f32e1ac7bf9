using System.Text;
using MotCua.Domain.Text;
using QRCoder;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace MotCua.FunctionApp.Forms;

/// <summary>
/// Lays out a one-page A4 form from the top down: centred headings, wrapped lines and a QR code.
/// PdfPig embeds TrueType fonts with one-byte codes, so a font object holds at most 255 distinct
/// characters; a fresh copy of the font is added whenever a run would pass that.
/// </summary>
internal sealed class PdfFormWriter : IDisposable
{
    private const double PageWidth = 595, PageHeight = 842, Margin = 56;
    private const int GlyphsPerFont = 250;
    private readonly PdfDocumentBuilder _builder = new();
    private readonly PdfPageBuilder _page;
    private readonly FontPool _regular, _bold;
    private double _y = PageHeight - Margin;

    public PdfFormWriter(FormFonts fonts)
    {
        _page = _builder.AddPage(PageSize.A4);
        _regular = new FontPool(_builder, fonts.Regular);
        _bold = new FontPool(_builder, fonts.Bold);
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
        foreach (var line in Wrap(Clean(text), size, bold, PageWidth - 2 * Margin - indent))
        {
            Write(line, Margin + indent, size, bold);
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
        var font = _regular.For(Clean(caption));
        _page.AddText(Clean(caption), 8, new PdfPoint(x, y - 11), font);
    }

    public byte[] Build() => _builder.Build();

    public void Dispose() => _builder.Dispose();

    private void Centered(string text, double size, bool bold)
    {
        foreach (var line in Wrap(Clean(text), size, bold, PageWidth - 2 * Margin))
        {
            Write(line, (PageWidth - Width(line, size, bold)) / 2, size, bold);
            _y -= size * 1.5;
        }
    }

    private void Column(string text, double left, double width, double size, bool bold)
    {
        foreach (var line in Wrap(Clean(text), size, bold, width))
        {
            Write(line, left + (width - Width(line, size, bold)) / 2, size, bold);
            _y -= size * 1.5;
        }
    }

    private void Write(string text, double x, double size, bool bold)
    {
        if (text.Length == 0) return;
        _page.AddText(text, size, new PdfPoint(x, _y), (bold ? _bold : _regular).For(text));
    }

    private double Width(string text, double size, bool bold)
    {
        if (text.Length == 0) return 0;
        var letters = _page.MeasureText(text, size, new PdfPoint(0, 0), (bold ? _bold : _regular).For(text));
        return letters.Count == 0 ? 0 : letters[^1].EndBaseLine.X - letters[0].StartBaseLine.X;
    }

    private IEnumerable<string> Wrap(string text, double size, bool bold, double width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            var candidate = line.Length == 0 ? word : $"{line} {word}";
            if (line.Length > 0 && Width(candidate, size, bold) > width)
            {
                yield return line.ToString();
                line.Clear().Append(word);
            }
            else
            {
                line.Clear().Append(candidate);
            }
        }
        yield return line.ToString();
    }

    /// <summary>
    /// NFC, and characters outside Latin and Vietnamese (which the font may lack) shown as '?'.
    /// Characters that break normalisation (U+FFFE, lone surrogates), which rows stored before
    /// input was checked may hold, are replaced first.
    /// </summary>
    private static string Clean(string text)
    {
        var normalized = SafeText.ForDisplay(text).Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            builder.Append(c switch
            {
                '\t' or '\r' or '\n' => ' ',
                _ when char.IsControl(c) => '?',
                _ when c <= '\u024F' || c is >= '\u1E00' and <= '\u1EFF' || c is >= '\u2010' and <= '\u2027' => c,
                _ => '?',
            });
        }
        return builder.ToString();
    }

    private sealed class FontPool(PdfDocumentBuilder builder, byte[] font)
    {
        private readonly List<(PdfDocumentBuilder.AddedFont Font, HashSet<char> Used)> _fonts = [];

        public PdfDocumentBuilder.AddedFont For(string text)
        {
            foreach (var (added, used) in _fonts)
            {
                if (used.Count + text.Count(c => !used.Contains(c)) <= GlyphsPerFont)
                {
                    used.UnionWith(text);
                    return added;
                }
            }
            var fresh = builder.AddTrueTypeFont(font);
            _fonts.Add((fresh, [.. text]));
            return fresh;
        }
    }
}

/// <summary>The TrueType fonts forms are set in, read once.</summary>
public sealed class FormFonts(byte[] regular, byte[] bold)
{
    public byte[] Regular { get; } = regular;
    public byte[] Bold { get; } = bold;

    public static FormFonts Load(string directory) => new(
        File.ReadAllBytes(Path.Combine(directory, "DejaVuSans.ttf")),
        File.ReadAllBytes(Path.Combine(directory, "DejaVuSans-Bold.ttf")));
}
