using System.Globalization;
using UglyToad.PdfPig.Core;

namespace MotCua.Signing.Appearance;

/// <summary>
/// The agency's mark on copies and attachments (Decree 30/2020/NĐ-CP, Appendix I): no image, one
/// line naming the agency and the signing time in ISO 8601, Vietnam time (UTC+07:00, no daylight saving).
/// </summary>
public sealed record CopyStamp(string Agency, DateTimeOffset SignedAt)
{
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public string Line => $"{Agency.Trim()} · {SignedAt.ToOffset(VietnamOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}";
}

/// <summary>Draws a <see cref="CopyStamp"/> in one small line, flush right in its rectangle.</summary>
public sealed class CopyStampDrawing(CopyStamp stamp, AppearanceFonts fonts) : IPdfDrawing
{
    private const double TextSize = 8, Padding = 2;

    public IndirectReference Write(IPdfObjectSink sink, double width, double height)
    {
        var face = fonts.Regular;
        var line = AppearanceText.Clean(stamp.Line, face);
        var canvas = new AppearanceCanvas(face.Width(line, TextSize) + 2 * Padding, 1.3 * TextSize + 2 * Padding, alignRight: true);
        canvas.Text(line, face, TextSize, Padding, Padding + 0.3 * TextSize);
        return canvas.Write(sink, width, height);
    }
}
