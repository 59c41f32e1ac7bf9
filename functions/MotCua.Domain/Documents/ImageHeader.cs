using System.Buffers.Binary;

namespace MotCua.Domain.Documents;

/// <summary>
/// An image's pixel size read from its header, before any decoder allocates for it: a 100,000 ×
/// 100,000 PNG is a few kilobytes on disk and tens of gigabytes in memory.
/// </summary>
public static class ImageHeader
{
    public static (int Width, int Height)? TryReadSize(Stream image, DocumentKind kind)
    {
        image.Position = 0;
        try
        {
            return kind switch
            {
                DocumentKind.Png => Png(image),
                DocumentKind.Jpeg => Jpeg(image),
                DocumentKind.Tiff => Tiff(image),
                _ => null,
            };
        }
        catch (EndOfStreamException)
        {
            return null;
        }
    }

    private static (int, int)? Png(Stream s)
    {
        Span<byte> head = stackalloc byte[24];
        s.ReadExactly(head);
        if (!head[12..16].SequenceEqual("IHDR"u8)) return null;
        return Size(BinaryPrimitives.ReadUInt32BigEndian(head[16..]), BinaryPrimitives.ReadUInt32BigEndian(head[20..]));
    }

    /// <summary>Walks the JPEG markers to the first start-of-frame, which holds the size.</summary>
    private static (int, int)? Jpeg(Stream s)
    {
        Span<byte> marker = stackalloc byte[4];
        s.Position = 2;
        for (var segments = 0; segments < 1000; segments++)
        {
            s.ReadExactly(marker);
            if (marker[0] != 0xFF) return null;
            var type = marker[1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(marker[2..]);
            var isStartOfFrame = type is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isStartOfFrame)
            {
                Span<byte> frame = stackalloc byte[5];
                s.ReadExactly(frame);
                return Size(BinaryPrimitives.ReadUInt16BigEndian(frame[3..]), BinaryPrimitives.ReadUInt16BigEndian(frame[1..]));
            }
            if (length < 2) return null;
            s.Position += length - 2;
        }
        return null;
    }

    /// <summary>The largest page of a TIFF: every image file directory, each followed through its link.</summary>
    private static (int, int)? Tiff(Stream s)
    {
        Span<byte> head = stackalloc byte[8];
        s.ReadExactly(head);
        var little = head[0] == 'I';
        uint U32(ReadOnlySpan<byte> b) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
        ushort U16(ReadOnlySpan<byte> b) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

        long next = U32(head[4..]);
        (int Width, int Height)? largest = null;
        var seen = new HashSet<long>();
        Span<byte> entry = stackalloc byte[12];
        Span<byte> two = stackalloc byte[2];
        Span<byte> four = stackalloc byte[4];
        while (next != 0 && seen.Add(next) && seen.Count <= 10_000)
        {
            if (next >= s.Length) return null;
            s.Position = next;
            s.ReadExactly(two);
            var count = U16(two);
            uint width = 0, height = 0;
            for (var i = 0; i < count; i++)
            {
                s.ReadExactly(entry);
                var tag = U16(entry);
                var fieldType = U16(entry[2..]);
                var value = fieldType == 3 ? U16(entry[8..]) : U32(entry[8..]);
                if (tag == 256) width = value;
                if (tag == 257) height = value;
            }
            s.ReadExactly(four);
            next = U32(four);
            if (Size(width, height) is not { } size) return null;
            if (largest is null || (long)size.Item1 * size.Item2 > (long)largest.Value.Width * largest.Value.Height) largest = size;
        }
        return largest;
    }

    private static (int, int)? Size(uint width, uint height) =>
        width is 0 or > int.MaxValue || height is 0 or > int.MaxValue ? null : ((int)width, (int)height);
}
