using QRCoder;
using UglyToad.PdfPig.Core;

namespace MotCua.Signing.Appearance;

/// <summary>The QR code every signed document carries: the public address where it can be checked, with a caption.</summary>
public sealed record QrMark(Uri CheckAddress)
{
    public string Caption => $"Tra cứu văn bản: {CheckAddress.AbsoluteUri}";
}

/// <summary>
/// Draws a <see cref="QrMark"/> as vector squares on a white ground that includes the quiet zone, so
/// it scans at any scale and over any page content, with the caption in one line under it.
/// </summary>
public sealed class QrMarkDrawing(QrMark mark, AppearanceFonts fonts) : IPdfDrawing
{
    private const double Module = 2, CaptionSize = 6, CaptionGap = 2;

    public IndirectReference Write(IPdfObjectSink sink, double width, double height)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(mark.CheckAddress.AbsoluteUri, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix; // includes the four-module quiet zone
        var side = modules.Count * Module;

        var face = fonts.Regular;
        var caption = AppearanceText.Clean(mark.Caption, face);
        var captionWidth = face.Width(caption, CaptionSize);
        var naturalWidth = Math.Max(side, captionWidth);
        var captionHeight = CaptionSize * 1.3 + CaptionGap;
        var canvas = new AppearanceCanvas(naturalWidth, side + captionHeight);

        var left = (naturalWidth - side) / 2;
        canvas.FillRectangles(1, [new PdfRectangle(left, captionHeight, left + side, captionHeight + side)]);
        canvas.FillRectangles(0, DarkRuns(modules, left, captionHeight + side));
        canvas.Text(caption, face, CaptionSize, (naturalWidth - captionWidth) / 2, 0.3 * CaptionSize);
        return canvas.Write(sink, width, height);
    }

    /// <summary>One rectangle per horizontal run of dark modules, rows counted down from <paramref name="top"/>.</summary>
    private static IEnumerable<PdfRectangle> DarkRuns(List<System.Collections.BitArray> modules, double left, double top)
    {
        for (var row = 0; row < modules.Count; row++)
        {
            var y = top - (row + 1) * Module;
            var column = 0;
            while (column < modules.Count)
            {
                if (!modules[row][column]) { column++; continue; }
                var start = column;
                while (column < modules.Count && modules[row][column]) column++;
                yield return new PdfRectangle(left + start * Module, y, left + column * Module, y + Module);
            }
        }
    }
}
