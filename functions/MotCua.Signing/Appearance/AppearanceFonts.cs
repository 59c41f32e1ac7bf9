using UglyToad.PdfPig.Fonts.TrueType;
using UglyToad.PdfPig.Fonts.TrueType.Parser;

namespace MotCua.Signing.Appearance;

/// <summary>
/// The TrueType faces appearances are set in, read and parsed once. DejaVu Sans covers every
/// Vietnamese letter with its diacritics and may be embedded freely.
/// </summary>
public sealed class AppearanceFonts(FontFace regular, FontFace bold)
{
    public const string DefaultDirectory = "/usr/share/fonts/truetype/dejavu";

    public FontFace Regular { get; } = regular;
    public FontFace Bold { get; } = bold;

    public static AppearanceFonts Load(string directory = DefaultDirectory) => new(
        new FontFace(File.ReadAllBytes(Path.Combine(directory, "DejaVuSans.ttf"))),
        new FontFace(File.ReadAllBytes(Path.Combine(directory, "DejaVuSans-Bold.ttf"))));
}

/// <summary>A TrueType font file and its parsed tables, for measuring text and embedding subsets of it.</summary>
public sealed class FontFace
{
    public FontFace(byte[] fileBytes)
    {
        FileBytes = fileBytes;
        Font = TrueTypeFontParser.Parse(new TrueTypeDataBytes(fileBytes));
        if (Font.WindowsUnicodeCMap is null) throw new ArgumentException("The font has no Unicode character map.", nameof(fileBytes));
        if (Font.TableRegister.Os2Table is null) throw new ArgumentException("The font has no OS/2 table, which embedding needs.", nameof(fileBytes));
        UnitsPerEm = Font.TableRegister.HeaderTable.UnitsPerEm;
    }

    internal byte[] FileBytes { get; }
    internal TrueTypeFont Font { get; }
    internal double UnitsPerEm { get; }

    public bool HasGlyph(char character) => Font.WindowsUnicodeCMap.CharacterCodeToGlyphIndex(character) != 0;

    /// <summary>The advance width of <paramref name="character"/> in thousandths of the font size.</summary>
    internal double AdvanceWidth(char character)
    {
        var glyph = Font.WindowsUnicodeCMap.CharacterCodeToGlyphIndex(character);
        return Font.TableRegister.HorizontalMetricsTable.GetAdvanceWidth(glyph) * 1000.0 / UnitsPerEm;
    }

    /// <summary>The width of <paramref name="text"/> set at <paramref name="size"/> points.</summary>
    public double Width(string text, double size) => text.Sum(AdvanceWidth) * size / 1000.0;
}
