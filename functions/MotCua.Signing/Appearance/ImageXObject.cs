using StbImageSharp;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace MotCua.Signing.Appearance;

/// <summary>
/// Writes a <see cref="SignatureImage"/> as an image XObject. A JPEG is embedded as it is
/// (DCTDecode); a PNG is decoded to 8-bit RGB with its alpha channel, whatever its colour type
/// (palette with tRNS included, as optimised seal images often are), in a soft mask.
/// </summary>
internal static class ImageXObject
{
    /// <summary>About 1000 × 1000 at 300 dpi covers any seal or signature; larger files are photographs of them.</summary>
    private const long MaxPixels = 4_000_000;

    public sealed record Written(IndirectReference Reference, int Width, int Height);

    public static Written Write(IPdfObjectSink sink, SignatureImage image) =>
        image.IsJpeg ? WriteJpeg(sink, image.Bytes) : WriteDecoded(sink, image.Bytes);

    private static Written WriteJpeg(IPdfObjectSink sink, byte[] jpeg)
    {
        var info = ImageInfo.FromStream(new MemoryStream(jpeg)) ?? throw new ArgumentException("The JPEG image cannot be read.");
        // stb reads baseline and progressive JPEGs with one or three components; anything else is re-encoded.
        if (info.ColorComponents is not (ColorComponents.Grey or ColorComponents.RedGreenBlue)) return WriteDecoded(sink, jpeg);
        var reference = sink.Add(new StreamToken(new DictionaryToken(new Dictionary<NameToken, IToken>
        {
            [NameToken.Type] = NameToken.Xobject,
            [NameToken.Subtype] = NameToken.Image,
            [NameToken.Width] = new NumericToken(info.Width),
            [NameToken.Height] = new NumericToken(info.Height),
            [NameToken.ColorSpace] = info.ColorComponents == ColorComponents.Grey ? NameToken.Devicegray : NameToken.Devicergb,
            [NameToken.BitsPerComponent] = new NumericToken(8),
            [NameToken.Filter] = NameToken.DctDecode,
            [NameToken.Length] = new NumericToken(jpeg.Length),
        }), jpeg));
        return new(reference, info.Width, info.Height);
    }

    private static Written WriteDecoded(IPdfObjectSink sink, byte[] file)
    {
        var info = ImageInfo.FromStream(new MemoryStream(file)) ?? throw new ArgumentException("The image cannot be read.");
        if ((long)info.Width * info.Height > MaxPixels)
        {
            throw new ArgumentException($"A {info.Width}×{info.Height} image is larger than a signature or seal needs; scale it to at most {MaxPixels:N0} pixels.");
        }
        var decoded = ImageResult.FromMemory(file, ColorComponents.RedGreenBlueAlpha);
        var pixels = decoded.Width * decoded.Height;
        var rgb = new byte[pixels * 3];
        var alpha = new byte[pixels];
        var translucent = false;
        for (var i = 0; i < pixels; i++)
        {
            rgb[i * 3] = decoded.Data[i * 4];
            rgb[i * 3 + 1] = decoded.Data[i * 4 + 1];
            rgb[i * 3 + 2] = decoded.Data[i * 4 + 2];
            alpha[i] = decoded.Data[i * 4 + 3];
            translucent |= alpha[i] != 255;
        }

        var entries = ImageEntries(decoded.Width, decoded.Height, NameToken.Devicergb);
        if (translucent)
        {
            var mask = sink.Add(PdfStreams.Compressed(alpha, ImageEntries(decoded.Width, decoded.Height, NameToken.Devicegray)));
            entries[NameToken.Smask] = new IndirectReferenceToken(mask);
        }
        var reference = sink.Add(PdfStreams.Compressed(rgb, entries));
        return new(reference, decoded.Width, decoded.Height);
    }

    private static Dictionary<NameToken, IToken> ImageEntries(int width, int height, NameToken colorSpace) => new()
    {
        [NameToken.Type] = NameToken.Xobject,
        [NameToken.Subtype] = NameToken.Image,
        [NameToken.Width] = new NumericToken(width),
        [NameToken.Height] = new NumericToken(height),
        [NameToken.ColorSpace] = colorSpace,
        [NameToken.BitsPerComponent] = new NumericToken(8),
    };
}
