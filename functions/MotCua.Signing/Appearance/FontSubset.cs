using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.TrueType.Subsetting;
using UglyToad.PdfPig.Tokens;

namespace MotCua.Signing.Appearance;

/// <summary>
/// A simple TrueType font holding only the characters one drawing uses, each given a one-byte code
/// from 1 up (the code order of PdfPig's subsetter). A drawing shows a few short lines, far below
/// the 255 characters a one-byte font can hold; a ToUnicode map lets readers extract the text.
/// </summary>
internal sealed class FontSubset(FontFace face)
{
    private readonly List<char> _characters = [];
    private readonly Dictionary<char, byte> _codes = [];

    public FontFace Face => face;

    /// <summary>The codes of <paramref name="text"/> as a PDF hex string, adding new characters to the subset.</summary>
    public string Encode(string text)
    {
        var hex = new StringBuilder("<", text.Length * 2 + 2);
        foreach (var character in text)
        {
            if (!_codes.TryGetValue(character, out var code))
            {
                if (_characters.Count == byte.MaxValue) throw new InvalidOperationException("A drawing uses more than 255 distinct characters of one font.");
                _characters.Add(character);
                code = (byte)_characters.Count;
                _codes[character] = code;
            }
            hex.Append(code.ToString("X2", CultureInfo.InvariantCulture));
        }
        return hex.Append('>').ToString();
    }

    public IndirectReference Write(IPdfObjectSink sink)
    {
        var font = face.Font;
        var subset = TrueTypeSubsetter.Subset(face.FileBytes, new TrueTypeSubsetEncoding(_characters));
        var fontFile = sink.Add(PdfStreams.Compressed(subset, new() { [NameToken.Length1] = new NumericToken(subset.Length) }));

        var scale = 1000.0 / face.UnitsPerEm;
        var bounds = font.TableRegister.HeaderTable.Bounds;
        var os2 = font.TableRegister.Os2Table;
        var capHeight = os2 is UglyToad.PdfPig.Fonts.TrueType.Tables.Os2Version2To4OpenTypeTable withHeights ? withHeights.CapHeight * scale : bounds.Top * scale;
        var baseFont = NameToken.Create($"{SubsetTag()}+{font.TableRegister.NameTable.GetPostscriptName()}");
        var descriptor = sink.Add(new DictionaryToken(new Dictionary<NameToken, IToken>
        {
            [NameToken.Type] = NameToken.FontDescriptor,
            [NameToken.FontName] = baseFont,
            [NameToken.Flags] = new NumericToken(4), // symbolic: glyphs are found through the font's own (1,0) cmap
            [NameToken.FontBbox] = PdfStreams.Numbers(bounds.Left * scale, bounds.Bottom * scale, bounds.Right * scale, bounds.Top * scale),
            [NameToken.ItalicAngle] = new NumericToken(font.TableRegister.PostScriptTable?.ItalicAngle ?? 0),
            [NameToken.Ascent] = new NumericToken(Math.Round(font.TableRegister.HorizontalHeaderTable.Ascent * scale, 2)),
            [NameToken.Descent] = new NumericToken(Math.Round(font.TableRegister.HorizontalHeaderTable.Descent * scale, 2)),
            [NameToken.CapHeight] = new NumericToken(Math.Round(capHeight, 2)),
            [NameToken.StemV] = new NumericToken(80),
            [NameToken.FontFile2] = new IndirectReferenceToken(fontFile),
        }));
        var toUnicode = sink.Add(PdfStreams.Compressed(ToUnicodeMap()));

        return sink.Add(new DictionaryToken(new Dictionary<NameToken, IToken>
        {
            [NameToken.Type] = NameToken.Font,
            [NameToken.Subtype] = NameToken.TrueType,
            [NameToken.BaseFont] = baseFont,
            [NameToken.FirstChar] = new NumericToken(1),
            [NameToken.LastChar] = new NumericToken(Math.Max(1, _characters.Count)),
            [NameToken.Widths] = PdfStreams.Numbers([.. _characters.Select(c => Math.Round(face.AdvanceWidth(c), 2))]),
            [NameToken.FontDescriptor] = new IndirectReferenceToken(descriptor),
            [NameToken.ToUnicode] = new IndirectReferenceToken(toUnicode),
        }));
    }

    /// <summary>Six capital letters naming this subset (ISO 32000-1 §9.6.4), derived from its characters.</summary>
    private string SubsetTag()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes([.. _characters]));
        return new string([.. hash.Take(6).Select(b => (char)('A' + b % 26))]);
    }

    private byte[] ToUnicodeMap()
    {
        var map = new StringBuilder();
        map.Append("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
            .Append("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
            .Append("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
            .Append("1 begincodespacerange\n<00> <FF>\nendcodespacerange\n");
        foreach (var chunk in _characters.Select((character, index) => (character, code: index + 1)).Chunk(100))
        {
            map.Append(CultureInfo.InvariantCulture, $"{chunk.Length} beginbfchar\n");
            foreach (var (character, code) in chunk) map.Append(CultureInfo.InvariantCulture, $"<{code:X2}> <{(int)character:X4}>\n");
            map.Append("endbfchar\n");
        }
        map.Append("endcmap\nCMapName currentdict /CMapResource defineresource pop\nend\nend\n");
        return Encoding.ASCII.GetBytes(map.ToString());
    }
}
