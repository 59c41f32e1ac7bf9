using System.Globalization;
using System.Text;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>
/// The first page of a paper official letter as Decree 30/2020/NĐ-CP Appendix I lays it out: the
/// agency block top left (parent agency, then the issuer in bold, a short rule), the national motto
/// top right, the number and notation under the agency and the place and date under the motto on
/// the same height, the summary of an official letter ("V/v …") under the number, urgency and
/// secrecy stamps boxed under that; then the type heading and its summary centred, the body, and
/// the signature block.
/// </summary>
public sealed record OfficialLetter
{
    public required string Name { get; init; }
    public string? ParentAgency { get; init; }

    /// <summary>The issuer's name, as printed (upper case), one entry per printed line.</summary>
    public required IReadOnlyList<string> Agency { get; init; }

    /// <summary>Printed as "Số: {Number}".</summary>
    public required string Number { get; init; }

    public required string PlaceAndDate { get; init; }

    /// <summary>The type heading ("QUYẾT ĐỊNH"); null for an official letter (công văn).</summary>
    public string? Heading { get; init; }

    /// <summary>The summary: under the heading, or for an official letter the "V/v …" under the number.</summary>
    public required string Summary { get; init; }

    /// <summary>Boxed stamps under the number: "KHẨN", "HỎA TỐC", "MẬT".</summary>
    public IReadOnlyList<string> Stamps { get; init; } = [];

    /// <summary>"Kính gửi: …" lines of an official letter.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>Lines set in upper case under the summary, such as a decision's authority.</summary>
    public IReadOnlyList<string> Authority { get; init; } = [];

    public IReadOnlyList<string> Body { get; init; } = [];

    public IReadOnlyList<string> Signer { get; init; } = [];
}

/// <summary>Renders <see cref="OfficialLetter"/>s to PDF (text layer, DejaVu Serif) and to the scan of the paper copy.</summary>
public static class OfficialLetters
{
    private const double PageWidth = 595, PageHeight = 842;
    private const double Left = 85, Right = 552; // 30 mm and 15 mm margins
    private const double AgencyLeft = 50, AgencyWidth = 230, MottoLeft = 272, MottoWidth = 300;
    private const string Fonts = "/usr/share/fonts/truetype/dejavu";

    public static byte[] Pdf(OfficialLetter letter)
    {
        using var writer = new Writer();
        writer.Lay(letter);
        return writer.Build();
    }

    /// <summary>The first page rasterised as a desk scanner would, <c>pdftoppm -r 200</c>, in grey.</summary>
    public static async Task<byte[]> ScanPngAsync(OfficialLetter letter, int dpi = 200)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-letter-").FullName;
        try
        {
            var source = Path.Combine(folder, "letter.pdf");
            await File.WriteAllBytesAsync(source, Pdf(letter));
            await Tools.RunAsync("pdftoppm", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-gray", "-png", "-singlefile", source, Path.Combine(folder, "page"));
            return await File.ReadAllBytesAsync(Path.Combine(folder, "page.png"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A worn paper copy through a cheap scanner: the page rasterised at 200 dpi, turned by
    /// <paramref name="degrees"/>, toner a little uneven, specks of dust, and saved as a
    /// low-quality JPEG inside a PDF with no text layer. The noise is seeded, so each letter
    /// always gives the same image.
    /// </summary>
    public static async Task<byte[]> WornScanPdfAsync(OfficialLetter letter, double degrees = 0.7, int seed = 30)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-letter-").FullName;
        try
        {
            var source = Path.Combine(folder, "letter.pdf");
            await File.WriteAllBytesAsync(source, Pdf(letter));
            await Tools.RunAsync("pdftoppm", "-r", "200", "-gray", "-singlefile", source, Path.Combine(folder, "page"));
            var (width, height, grey) = ReadPgm(await File.ReadAllBytesAsync(Path.Combine(folder, "page.pgm")));
            var worn = Wear(grey, width, height, degrees, new Random(seed));
            var rgb = new byte[worn.Length * 3];
            for (var i = 0; i < worn.Length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = worn[i];
            using var jpeg = new MemoryStream();
            new StbImageWriteSharp.ImageWriter().WriteJpg(rgb, width, height, StbImageWriteSharp.ColorComponents.RedGreenBlue, jpeg, 40);
            return Scans.ImagePdf(jpeg.ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A binary PGM (P5, 8 bits) as poppler writes it.</summary>
    private static (int Width, int Height, byte[] Grey) ReadPgm(byte[] pgm)
    {
        var position = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)pgm[position])) position++;
            var start = position;
            while (!char.IsWhiteSpace((char)pgm[position])) position++;
            return Encoding.ASCII.GetString(pgm, start, position - start);
        }
        if (Token() != "P5") throw new InvalidDataException("Not a binary PGM.");
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        if (Token() != "255") throw new InvalidDataException("Not an 8-bit PGM.");
        return (width, height, pgm.AsSpan(position + 1, width * height).ToArray());
    }

    private static byte[] Wear(byte[] grey, int width, int height, double degrees, Random random)
    {
        var output = new byte[grey.Length];
        var (sin, cos) = Math.SinCos(degrees * Math.PI / 180);
        var (cx, cy) = (width / 2.0, height / 2.0);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // Turned about the centre, sampled bilinearly; paper is off-white, toner a little faded.
                var sx = cos * (x - cx) + sin * (y - cy) + cx;
                var sy = -sin * (x - cx) + cos * (y - cy) + cy;
                var value = Sample(grey, width, height, sx, sy);
                value = 60 + value * (236 - 60) / 255.0 + (random.NextDouble() - 0.5) * 40;
                output[y * width + x] = (byte)Math.Clamp(value, 0, 255);
            }
        }
        for (var i = 0; i < width * height / 4000; i++)
        {
            var (x, y) = (random.Next(width - 2), random.Next(height - 2));
            output[y * width + x] = output[y * width + x + 1] = output[(y + 1) * width + x] = 40;
        }
        return output;
    }

    private static double Sample(byte[] grey, int width, int height, double x, double y)
    {
        if (x < 0 || y < 0 || x >= width - 1 || y >= height - 1) return 255;
        var (x0, y0) = ((int)x, (int)y);
        var (fx, fy) = (x - x0, y - y0);
        var top = grey[y0 * width + x0] * (1 - fx) + grey[y0 * width + x0 + 1] * fx;
        var bottom = grey[(y0 + 1) * width + x0] * (1 - fx) + grey[(y0 + 1) * width + x0 + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private sealed class Writer : IDisposable
    {
        private readonly PdfDocumentBuilder _builder = new();
        private readonly PdfPageBuilder _page;
        private readonly FontPool _regular, _bold, _italic;

        public Writer()
        {
            _page = _builder.AddPage(PageSize.A4);
            _regular = new FontPool(_builder, File.ReadAllBytes(Path.Combine(Fonts, "DejaVuSerif.ttf")));
            _bold = new FontPool(_builder, File.ReadAllBytes(Path.Combine(Fonts, "DejaVuSerif-Bold.ttf")));
            _italic = new FontPool(_builder, File.ReadAllBytes(Path.Combine(Fonts, "DejaVuSerif-Italic.ttf")));
        }

        public byte[] Build() => _builder.Build();

        public void Dispose() => _builder.Dispose();

        public void Lay(OfficialLetter letter)
        {
            var top = PageHeight - 60;

            // Agency block, top left.
            var y = top;
            if (letter.ParentAgency is { } parent) y = Centred(parent, AgencyLeft, AgencyWidth, y, 12, _regular);
            foreach (var line in letter.Agency) y = Centred(line, AgencyLeft, AgencyWidth, y, 12, _bold);
            Rule(AgencyLeft + AgencyWidth / 2, y + 9, 60);
            var agencyBottom = y - 8;

            // National motto, top right.
            y = top;
            y = Centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", MottoLeft, MottoWidth, y, 11.5, _bold);
            y = Centred("Độc lập - Tự do - Hạnh phúc", MottoLeft, MottoWidth, y, 12.5, _bold);
            Rule(MottoLeft + MottoWidth / 2, y + 9, Width("Độc lập - Tự do - Hạnh phúc", 12.5, _bold) / 2);
            var mottoBottom = y - 8;

            // Number under the agency, place and date under the motto, on one height.
            y = Math.Min(agencyBottom, mottoBottom);
            Centred(letter.PlaceAndDate, MottoLeft, MottoWidth, y, 12.5, _italic);
            y = Centred($"Số: {letter.Number}", AgencyLeft, AgencyWidth, y, 12.5, _regular);
            if (letter.Heading is null) y = Wrapped(letter.Summary, AgencyLeft, AgencyWidth, y, 11.5, _regular, centred: true);
            foreach (var stamp in letter.Stamps)
            {
                y -= 6;
                var width = Width(stamp, 12.5, _bold);
                var x = AgencyLeft + (AgencyWidth - width) / 2;
                _page.DrawRectangle(new PdfPoint(x - 6, y - 5), width + 12, 19, lineWidth: 1);
                Write(stamp, x, y, 12.5, _bold);
                y -= 22;
            }

            // Heading and summary, centred; an official letter has neither: its recipients instead.
            y -= 18;
            if (letter.Heading is { } heading)
            {
                y = Wrapped(heading, Left, Right - Left, y, 13.5, _bold, centred: true);
                y = Wrapped(letter.Summary, Left + 40, Right - Left - 80, y, 13.5, _bold, centred: true);
                Rule((Left + Right) / 2, y + 10, 70);
                y -= 12;
            }
            foreach (var line in letter.Recipients) y = Wrapped(line, Left + 60, Right - Left - 60, y, 13, _regular, centred: false);
            if (letter.Recipients.Count > 0) y -= 8;
            foreach (var line in letter.Authority) y = Wrapped(line, Left, Right - Left, y, 13, _bold, centred: true);
            if (letter.Authority.Count > 0) y -= 8;
            foreach (var paragraph in letter.Body) y = Wrapped(paragraph, Left, Right - Left, y, 13, _regular, centred: false, indent: 28);

            // Signature block, right.
            y -= 16;
            foreach (var line in letter.Signer) y = Centred(line, MottoLeft + 40, MottoWidth - 40, y, 12.5, _bold);
        }

        private double Centred(string text, double left, double width, double y, double size, FontPool font) =>
            Wrapped(text, left, width, y, size, font, centred: true);

        private double Wrapped(string text, double left, double width, double y, double size, FontPool font, bool centred, double indent = 0)
        {
            var first = true;
            foreach (var line in Wrap(text, size, font, width, indent))
            {
                var x = centred ? left + (width - Width(line, size, font)) / 2 : left + (first ? indent : 0);
                Write(line, x, y, size, font);
                y -= size * 1.4;
                first = false;
            }
            return y;
        }

        private void Rule(double centre, double y, double halfWidth) =>
            _page.DrawLine(new PdfPoint(centre - halfWidth, y), new PdfPoint(centre + halfWidth, y), 0.8);

        private void Write(string text, double x, double y, double size, FontPool font) =>
            _page.AddText(text, size, new PdfPoint(x, y), font.For(text));

        private double Width(string text, double size, FontPool font)
        {
            var letters = _page.MeasureText(text, size, new PdfPoint(0, 0), font.For(text));
            return letters.Count == 0 ? 0 : letters[^1].EndBaseLine.X - letters[0].StartBaseLine.X;
        }

        private IEnumerable<string> Wrap(string text, double size, FontPool font, double width, double indent)
        {
            var line = new StringBuilder();
            var available = width - indent;
            foreach (var word in text.Normalize(NormalizationForm.FormC).Split(' '))
            {
                var candidate = line.Length == 0 ? word : $"{line} {word}";
                if (line.Length > 0 && Width(candidate, size, font) > available)
                {
                    yield return line.ToString();
                    line.Clear().Append(word);
                    available = width;
                }
                else
                {
                    line.Clear().Append(candidate);
                }
            }
            yield return line.ToString();
        }
    }

    /// <summary>PdfPig embeds TrueType fonts with one-byte codes: a fresh copy of the font past 250 distinct characters.</summary>
    private sealed class FontPool(PdfDocumentBuilder builder, byte[] font)
    {
        private readonly List<(PdfDocumentBuilder.AddedFont Font, HashSet<char> Used)> _fonts = [];

        public PdfDocumentBuilder.AddedFont For(string text)
        {
            foreach (var (added, used) in _fonts)
            {
                if (used.Count + text.Distinct().Count(c => !used.Contains(c)) <= 250)
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
