using System.Globalization;
using System.Text;
using MotCua.Domain.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace MotCua.FunctionApp.Forms;

/// <summary>
/// Sets Vietnamese text in the form fonts on PdfPig pages: cleans it, measures it, wraps it to a width
/// and writes it. PdfPig embeds TrueType fonts with one-byte codes, so a font object holds at most 255
/// distinct characters; a fresh copy of the font is added whenever a run would pass that (each copy is
/// subset to the characters it carries when the document is completed).
/// </summary>
internal sealed class PdfTypesetter(PdfDocumentBuilder builder, FormFonts fonts)
{
    private const int GlyphsPerFont = 250;
    private readonly FontPool _regular = new(builder, fonts.Regular), _bold = new(builder, fonts.Bold);

    /// <summary>Writes one line of cleaned text with its baseline at <paramref name="y"/>.</summary>
    public void Write(PdfPageBuilder page, string text, double x, double y, double size, bool bold = false)
    {
        if (text.Length == 0) return;
        page.AddText(text, size, new PdfPoint(x, y), Font(text, bold));
    }

    public double Width(PdfPageBuilder page, string text, double size, bool bold = false)
    {
        if (text.Length == 0) return 0;
        var letters = page.MeasureText(text, size, new PdfPoint(0, 0), Font(text, bold));
        return letters.Count == 0 ? 0 : letters[^1].EndBaseLine.X - letters[0].StartBaseLine.X;
    }

    /// <summary>
    /// Cleans the text and breaks it into lines no wider than <paramref name="width"/>, at spaces; a word
    /// wider than the line on its own is broken between letters. Empty text gives one empty line.
    /// </summary>
    public IReadOnlyList<string> Wrap(PdfPageBuilder page, string text, double size, bool bold, double width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        var lineWidth = 0.0;
        var space = Width(page, " ", size, bold);
        foreach (var word in Clean(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var wordWidth = Width(page, word, size, bold);
            if (line.Length > 0 && lineWidth + space + wordWidth <= width)
            {
                line.Append(' ').Append(word);
                lineWidth += space + wordWidth;
                continue;
            }
            if (line.Length > 0) lines.Add(line.ToString());
            line.Clear();
            lineWidth = 0;
            foreach (var piece in Break(page, word, wordWidth, size, bold, width))
            {
                if (line.Length > 0) lines.Add(line.ToString());
                line.Clear().Append(piece.Text);
                lineWidth = piece.Width;
            }
        }
        lines.Add(line.ToString());
        return lines;
    }

    /// <summary>
    /// NFC, and characters outside Latin and Vietnamese (which the font may lack) shown as '?'.
    /// Characters that break normalisation (U+FFFE, lone surrogates), which rows stored before
    /// input was checked may hold, are replaced first.
    /// </summary>
    public static string Clean(string text)
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

    private PdfDocumentBuilder.AddedFont Font(string text, bool bold) => (bold ? _bold : _regular).For(text);

    /// <summary>
    /// A word in pieces that each fit the width (a piece holds at least one letter), cut after the last
    /// '/', '-' or ',' that fits (a notation such as 1234/QĐ-UBND breaks there), else between letters.
    /// </summary>
    private IEnumerable<(string Text, double Width)> Break(PdfPageBuilder page, string word, double wordWidth, double size, bool bold, double width)
    {
        var (rest, restWidth) = (word, wordWidth);
        while (restWidth > width)
        {
            var fit = Fit(page, rest, size, bold, width);
            var cut = rest.LastIndexOfAny(['/', '-', ','], fit - 1) + 1;
            if (cut == 0) cut = fit;
            var head = rest[..cut];
            yield return (head, Width(page, head, size, bold));
            rest = rest[cut..];
            restWidth = Width(page, rest, size, bold);
        }
        yield return (rest, restWidth);
    }

    /// <summary>The length of the longest start of the text that fits the width, whole letters, at least one.</summary>
    private int Fit(PdfPageBuilder page, string text, double size, bool bold, double width)
    {
        var fit = 0;
        foreach (var end in StringInfo.ParseCombiningCharacters(text).Skip(1).Append(text.Length))
        {
            if (fit > 0 && Width(page, text[..end], size, bold) > width) break;
            fit = end;
        }
        return fit;
    }

    private sealed class FontPool(PdfDocumentBuilder builder, byte[] font)
    {
        private readonly List<(PdfDocumentBuilder.AddedFont Font, HashSet<char> Used)> _fonts = [];

        public PdfDocumentBuilder.AddedFont For(string text)
        {
            foreach (var (added, used) in _fonts)
            {
                if (used.Count + text.Distinct().Count(c => !used.Contains(c)) <= GlyphsPerFont)
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
