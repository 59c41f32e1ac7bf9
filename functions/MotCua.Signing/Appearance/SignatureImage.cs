namespace MotCua.Signing.Appearance;

/// <summary>
/// A picture drawn in an appearance: a person's handwritten signature or an agency's seal, as a PNG
/// (transparency kept) or a JPEG file.
/// </summary>
public sealed class SignatureImage
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private SignatureImage(byte[] bytes, bool isJpeg)
    {
        Bytes = bytes;
        IsJpeg = isJpeg;
    }

    public byte[] Bytes { get; }
    public bool IsJpeg { get; }

    /// <summary>Checks the file's leading bytes; the pixels are decoded when the image is drawn.</summary>
    public static SignatureImage FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.AsSpan().StartsWith(PngSignature)) return new(bytes, isJpeg: false);
        if (bytes is [0xFF, 0xD8, 0xFF, ..]) return new(bytes, isJpeg: true);
        throw new ArgumentException("A signature or seal image must be a PNG or JPEG file.", nameof(bytes));
    }

    public static SignatureImage Load(string path) => FromBytes(File.ReadAllBytes(path));
}
