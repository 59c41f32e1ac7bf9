using MotCua.Signing.Appearance;
using UglyToad.PdfPig.Core;

namespace MotCua.Signing.Forms;

/// <summary>
/// The normal appearance of a filled text field: one line in the field's font size, shrunk to fit
/// its width, vertically centred, aligned as the field says, on white when the field is opaque.
/// </summary>
internal sealed class TextFieldAppearance(string text, FontFace face, double fontSize, FieldAlignment alignment, bool opaque) : IPdfDrawing
{
    private const double Padding = 2, CapHeight = 0.73;

    public IndirectReference Write(IPdfObjectSink sink, double width, double height)
    {
        var line = AppearanceText.Clean(text, face);
        var size = Math.Min(fontSize, Math.Max(1, height - 2 * Padding) / CapHeight * 0.8);
        var measured = face.Width(line, size);
        if (measured > width - 2 * Padding && measured > 0) size *= (width - 2 * Padding) / measured;
        measured = face.Width(line, size);
        var canvas = new AppearanceCanvas(width, height);
        if (opaque) canvas.FillRectangles(1, [new PdfRectangle(0, 0, width, height)]);
        var x = alignment switch
        {
            FieldAlignment.Centre => (width - measured) / 2,
            FieldAlignment.Right => width - Padding - measured,
            _ => Padding,
        };
        canvas.Text(line, face, size, x, (height - CapHeight * size) / 2);
        return canvas.Write(sink, width, height);
    }
}
