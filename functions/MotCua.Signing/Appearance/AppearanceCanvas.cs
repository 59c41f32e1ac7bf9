using System.Globalization;
using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace MotCua.Signing.Appearance;

/// <summary>
/// Collects what a drawing shows, laid out in its own natural size, and writes it as a form
/// XObject of the requested size: the content is scaled uniformly to fit and centred, so text
/// keeps its proportions whatever rectangle a placement gives (flush right for marks that sit at
/// the page's right edge).
/// </summary>
internal sealed class AppearanceCanvas(double naturalWidth, double naturalHeight, bool alignRight = false)
{
    private readonly StringBuilder _content = new();
    private readonly List<(string Name, FontSubset Font)> _fonts = [];
    private readonly List<(string Name, SignatureImage Image)> _images = [];

    public double NaturalWidth => naturalWidth;
    public double NaturalHeight => naturalHeight;

    /// <summary>One line of text with its baseline starting at (<paramref name="x"/>, <paramref name="y"/>), in black.</summary>
    public void Text(string text, FontFace face, double size, double x, double y)
    {
        if (text.Length == 0) return;
        var (name, font) = FontFor(face);
        _content.Append(CultureInfo.InvariantCulture,
            $"BT 0 g /{name} {PdfStreams.Format(size)} Tf {PdfStreams.Format(x)} {PdfStreams.Format(y)} Td {font.Encode(text)} Tj ET\n");
    }

    /// <summary>An image stretched over <paramref name="rectangle"/>; callers keep its aspect ratio.</summary>
    public void Image(SignatureImage image, PdfRectangle rectangle)
    {
        var name = $"Im{_images.Count + 1}";
        _images.Add((name, image));
        _content.Append(CultureInfo.InvariantCulture,
            $"q {PdfStreams.Format(rectangle.Width)} 0 0 {PdfStreams.Format(rectangle.Height)} {PdfStreams.Format(rectangle.Left)} {PdfStreams.Format(rectangle.Bottom)} cm /{name} Do Q\n");
    }

    /// <summary>Filled rectangles in one grey level (0 black, 1 white).</summary>
    public void FillRectangles(double grey, IEnumerable<PdfRectangle> rectangles)
    {
        _content.Append(CultureInfo.InvariantCulture, $"q {PdfStreams.Format(grey)} g\n");
        foreach (var r in rectangles)
        {
            _content.Append(CultureInfo.InvariantCulture,
                $"{PdfStreams.Format(r.Left)} {PdfStreams.Format(r.Bottom)} {PdfStreams.Format(r.Width)} {PdfStreams.Format(r.Height)} re\n");
        }
        _content.Append("f Q\n");
    }

    public IndirectReference Write(IPdfObjectSink sink, double width, double height)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (!(width > 0 && height > 0 && double.IsFinite(width) && double.IsFinite(height)))
        {
            throw new ArgumentOutOfRangeException(nameof(width), "A drawing needs a positive, finite width and height.");
        }

        var scale = Math.Min(width / naturalWidth, height / naturalHeight);
        var spare = width - naturalWidth * scale;
        var (dx, dy) = (alignRight ? spare : spare / 2, (height - naturalHeight * scale) / 2);
        var content = $"q {PdfStreams.Format(scale)} 0 0 {PdfStreams.Format(scale)} {PdfStreams.Format(dx)} {PdfStreams.Format(dy)} cm\n{_content}Q\n";

        var resources = new Dictionary<NameToken, IToken>
        {
            [NameToken.ProcSet] = new ArrayToken([NameToken.Create("PDF"), NameToken.Create("Text"), NameToken.Create("ImageB"), NameToken.Create("ImageC")]),
        };
        if (_fonts.Count > 0)
        {
            resources[NameToken.Font] = new DictionaryToken(_fonts.ToDictionary(
                f => NameToken.Create(f.Name), f => (IToken)new IndirectReferenceToken(f.Font.Write(sink))));
        }
        if (_images.Count > 0)
        {
            resources[NameToken.Xobject] = new DictionaryToken(_images.ToDictionary(
                i => NameToken.Create(i.Name), i => (IToken)new IndirectReferenceToken(ImageXObject.Write(sink, i.Image).Reference)));
        }

        return sink.Add(PdfStreams.Compressed(Encoding.ASCII.GetBytes(content), new()
        {
            [NameToken.Type] = NameToken.Xobject,
            [NameToken.Subtype] = NameToken.Form,
            [NameToken.Formtype] = new NumericToken(1),
            [NameToken.Bbox] = PdfStreams.Numbers(0, 0, width, height),
            [NameToken.Resources] = new DictionaryToken(resources),
        }));
    }

    private (string Name, FontSubset Font) FontFor(FontFace face)
    {
        foreach (var entry in _fonts)
        {
            if (ReferenceEquals(entry.Font.Face, face)) return entry;
        }
        var added = ($"F{_fonts.Count + 1}", new FontSubset(face));
        _fonts.Add(added);
        return added;
    }
}
