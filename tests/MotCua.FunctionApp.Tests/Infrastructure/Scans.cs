using System.Text;
using MotCua.Domain.Documents;
using MotCua.FunctionApp.Forms;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>
/// Vietnamese pages as a scanner would give them: text set in DejaVu, rendered by poppler to an
/// image, and that image alone wrapped in a PDF with no text layer.
/// </summary>
public static class Scans
{
    private static readonly Lazy<FormFonts> Fonts = new(() => FormFonts.Load("/usr/share/fonts/truetype/dejavu"));

    public static byte[] TextPdf(IEnumerable<string> lines, double size = 14)
    {
        using var writer = new PdfFormWriter(Fonts.Value);
        foreach (var line in lines) writer.Line(line, size);
        return writer.Build();
    }

    /// <summary>The first page rendered as png, jpeg or tiff.</summary>
    public static async Task<byte[]> ImageAsync(byte[] pdf, string format, int dpi = 200)
    {
        var folder = Directory.CreateTempSubdirectory("motcua-scan-").FullName;
        try
        {
            var source = Path.Combine(folder, "source.pdf");
            await File.WriteAllBytesAsync(source, pdf);
            await Tools.RunAsync("pdftoppm", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), $"-{format}", "-f", "1", "-l", "1", "-singlefile", source, Path.Combine(folder, "page"));
            return await File.ReadAllBytesAsync(Directory.GetFiles(folder, "page.*").Single());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A one-page PDF whose only content is the (colour) JPEG, filling an A4 page: what a desk scanner produces.</summary>
    /// <param name="placement">Where the image goes on the page, as the content stream's matrix.</param>
    /// <param name="pageEntries">More entries of the page dictionary, such as <c>/Rotate 90</c>.</param>
    public static byte[] ImagePdf(byte[] jpeg, string placement = "595 0 0 842 0 0", string pageEntries = "")
    {
        var (width, height) = ImageHeader.TryReadSize(new MemoryStream(jpeg), DocumentKind.Jpeg) ?? throw new ArgumentException("Not a JPEG.");
        var content = Encoding.ASCII.GetBytes($"q {placement} cm /Im1 Do Q");
        var objects = new List<byte[]>
        {
            Encoding.ASCII.GetBytes("<< /Type /Catalog /Pages 2 0 R >>"),
            Encoding.ASCII.GetBytes("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            Encoding.ASCII.GetBytes($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {pageEntries} /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>"),
            Stream($"<< /Length {content.Length} >>", content),
            Stream($"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {jpeg.Length} >>", jpeg),
        };
        return Assemble(objects);
    }

    /// <summary>A stream object's body: its dictionary, then the bytes between <c>stream</c> and <c>endstream</c>.</summary>
    public static byte[] Stream(string dictionary, byte[] bytes) =>
        [.. Encoding.ASCII.GetBytes(dictionary + "\nstream\n"), .. bytes, .. Encoding.ASCII.GetBytes("\nendstream")];

    /// <summary>A PDF from raw object bodies (object n is objects[n-1]; object 1 is the catalogue), with a correct cross-reference table.</summary>
    public static byte[] Assemble(IReadOnlyList<byte[]> objects)
    {
        using var pdf = new MemoryStream();
        pdf.Write("%PDF-1.7\n"u8);
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Position);
            pdf.Write(Encoding.ASCII.GetBytes($"{i + 1} 0 obj\n"));
            pdf.Write(objects[i]);
            pdf.Write("\nendobj\n"u8);
        }
        var xref = pdf.Position;
        var table = new StringBuilder($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) table.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        table.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        pdf.Write(Encoding.ASCII.GetBytes(table.ToString()));
        return pdf.ToArray();
    }
}
