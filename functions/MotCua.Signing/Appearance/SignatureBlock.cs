using System.Globalization;
using UglyToad.PdfPig.Core;

namespace MotCua.Signing.Appearance;

/// <summary>
/// The signer's block of Decree 30/2020/NĐ-CP, Appendix I: the signing authority (if any) and the
/// position in capitals, the person's signature image, the agency's seal image over the left third
/// of the signature, and the person's full name.
/// </summary>
public sealed record SignatureBlock(
    SigningAuthority? Authority,
    string Position,
    string FullName,
    SignatureImage? Signature = null,
    SignatureImage? Seal = null);

/// <summary>
/// The layers of a signer's block. The person signs first and shows the text and their signature;
/// the agency signs next and shows only its seal, which lands over the person's image because both
/// drawings lay out the whole block in the same rectangle.
/// </summary>
[Flags]
public enum SignatureBlockLayers
{
    Text = 1,
    Signature = 2,
    Seal = 4,
    Signer = Text | Signature,
    All = Text | Signature | Seal,
}

/// <summary>
/// Draws a <see cref="SignatureBlock"/> (or some of its <see cref="SignatureBlockLayers"/>): lines
/// centred and bold, a line break in the authority or position starting a new line.
/// </summary>
public sealed class SignatureBlockDrawing(SignatureBlock block, AppearanceFonts fonts, SignatureBlockLayers layers = SignatureBlockLayers.All) : IPdfDrawing
{
    private const double TextSize = 11, LinePitch = 1.35 * TextSize, Ascent = 0.93 * TextSize;
    private const double SignatureHeight = 56, SignatureMaxWidth = 150, SealSide = 70, ImageGap = 6, Padding = 4;
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public IndirectReference Write(IPdfObjectSink sink, double width, double height)
    {
        ArgumentNullException.ThrowIfNull(block);
        var face = fonts.Bold;
        var upper = new List<string>();
        if (block.Authority is not null) upper.AddRange(Lines(block.Authority.ToString(), face));
        upper.AddRange(Lines(block.Position, face));
        var name = AppearanceText.Clean(block.FullName, face);

        // The images, relative to the centre line of the block: the signature centred, the seal's
        // right edge a third of the way into the signature so the seal covers its left third.
        var signature = block.Signature is null ? (Width: 0.0, Height: 0.0) : Fit(Size(block.Signature), SignatureMaxWidth, SignatureHeight);
        var seal = block.Seal is null ? (Width: 0.0, Height: 0.0) : Fit(Size(block.Seal), SealSide, SealSide);
        var signatureLeft = -signature.Width / 2;
        var sealRight = signature.Width > 0 ? signatureLeft + signature.Width / 3 : seal.Width / 2;
        var imagesLeft = Math.Min(signatureLeft, sealRight - seal.Width);
        var imagesRight = Math.Max(signature.Width / 2, sealRight);
        var imagesHeight = Math.Max(signature.Height, seal.Height);
        var zoneHeight = imagesHeight > 0 ? imagesHeight + 2 * ImageGap : 3 * LinePitch;

        var halfWidth = new[] { -imagesLeft, imagesRight }
            .Concat(upper.Append(name).Select(line => face.Width(line, TextSize) / 2))
            .Max() + Padding;
        var naturalHeight = 2 * Padding + (upper.Count + 1) * LinePitch + zoneHeight;
        var canvas = new AppearanceCanvas(2 * halfWidth, naturalHeight);
        var centre = halfWidth;

        var baseline = naturalHeight - Padding - Ascent;
        foreach (var line in upper)
        {
            if (layers.HasFlag(SignatureBlockLayers.Text)) canvas.Text(line, face, TextSize, centre - face.Width(line, TextSize) / 2, baseline);
            baseline -= LinePitch;
        }

        var zoneTop = naturalHeight - Padding - upper.Count * LinePitch;
        var zoneMiddle = zoneTop - zoneHeight / 2;
        if (block.Signature is not null && layers.HasFlag(SignatureBlockLayers.Signature))
        {
            canvas.Image(block.Signature, Rectangle(centre + signatureLeft, zoneMiddle, signature));
        }
        if (block.Seal is not null && layers.HasFlag(SignatureBlockLayers.Seal))
        {
            canvas.Image(block.Seal, Rectangle(centre + sealRight - seal.Width, zoneMiddle, seal));
        }

        var nameBaseline = zoneTop - zoneHeight - Ascent;
        if (layers.HasFlag(SignatureBlockLayers.Text)) canvas.Text(name, face, TextSize, centre - face.Width(name, TextSize) / 2, nameBaseline);
        return canvas.Write(sink, width, height);
    }

    private static IEnumerable<string> Lines(string text, FontFace face) =>
        text.Split('\n').Select(line => AppearanceText.Clean(line.ToUpper(Vietnamese), face)).Where(line => line.Length > 0);

    private static (int Width, int Height) Size(SignatureImage image)
    {
        var info = StbImageSharp.ImageInfo.FromStream(new MemoryStream(image.Bytes))
            ?? throw new ArgumentException("A signature or seal image cannot be read.");
        return (info.Width, info.Height);
    }

    /// <summary>The largest size with the image's aspect ratio inside <paramref name="maxWidth"/> × <paramref name="maxHeight"/>.</summary>
    private static (double Width, double Height) Fit((int Width, int Height) pixels, double maxWidth, double maxHeight)
    {
        var scale = Math.Min(maxWidth / pixels.Width, maxHeight / pixels.Height);
        return (pixels.Width * scale, pixels.Height * scale);
    }

    private static PdfRectangle Rectangle(double left, double middle, (double Width, double Height) size) =>
        new(left, middle - size.Height / 2, left + size.Width, middle + size.Height / 2);
}
