using System.Buffers.Binary;

namespace MotCua.Domain.Documents;

/// <summary>
/// Office files are ZIP archives. Which kind one is comes from its entries' names:
/// <c>[Content_Types].xml</c> with a <c>word/</c>, <c>xl/</c> or <c>ppt/</c> part (Office Open XML),
/// or a first entry <c>mimetype</c> stored uncompressed and naming the OpenDocument type (ODF 1.2 §3.3).
/// Anything else in a ZIP is a plain archive. The first bytes' local headers tell the kind of most
/// files; writers such as System.IO.Packaging put <c>[Content_Types].xml</c> last, so where the whole
/// file has passed by, its central directory (at the end) is read too (<see cref="ClassifyWhole"/>).
/// </summary>
public static class ZipContainer
{
    /// <summary>Office writers put the names that tell the kind in the first few entries, or else in the central directory at the end.</summary>
    public const int SniffLength = 64 * 1024;

    /// <summary>The last bytes kept of a file to read its central directory: ample for the thousands of entries an office file may hold.</summary>
    public const int TailLength = 1024 * 1024;

    private static ReadOnlySpan<byte> LocalHeader => "PK\x03\x04"u8;
    private static ReadOnlySpan<byte> DirectoryHeader => "PK\x01\x02"u8;
    private static ReadOnlySpan<byte> EmptyArchive => "PK\x05\x06"u8;

    public static bool IsZip(ReadOnlySpan<byte> head) => head.StartsWith(LocalHeader) || head.StartsWith(EmptyArchive);

    /// <summary>The kind by the local headers within <paramref name="head"/> alone: <see cref="DocumentKind.Zip"/> may yet be an office file whose names come later.</summary>
    public static DocumentKind Classify(ReadOnlySpan<byte> head)
    {
        var names = new OfficeNames();
        var at = 0;
        while (at < head.Length)
        {
            var found = head[at..].IndexOf(LocalHeader);
            if (found < 0) break;
            var p = at + found;
            at = p + LocalHeader.Length;
            if (p + 30 > head.Length) break;
            var method = BinaryPrimitives.ReadUInt16LittleEndian(head[(p + 8)..]);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(head[(p + 18)..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(head[(p + 26)..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(head[(p + 28)..]);
            if (p + 30 + nameLength > head.Length) break;
            var name = head.Slice(p + 30, nameLength);
            if (p == 0 && name.SequenceEqual("mimetype"u8) && method == 0 && OpenDocument(head, p + 30 + nameLength + extraLength, size) is { } odf) return odf;
            names.See(name);
        }
        return names.Kind;
    }

    /// <summary>
    /// The kind of a whole file of <paramref name="length"/> bytes, from its first bytes and its last
    /// (<paramref name="tail"/>, up to <see cref="TailLength"/>): the local headers first, then every
    /// name in the central directory. A directory that does not lie within the tail leaves the first answer.
    /// </summary>
    public static DocumentKind ClassifyWhole(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long length)
    {
        var byHead = Classify(head);
        if (byHead != DocumentKind.Zip || ZipDirectoryEnd.Find(tail) is not { } end) return byHead;
        var tailStart = length - tail.Length;
        if (end.DirectoryOffset < tailStart || end.DirectoryOffset + end.DirectorySize > length) return byHead;
        var directory = tail.Slice((int)(end.DirectoryOffset - tailStart), (int)end.DirectorySize);
        var names = new OfficeNames();
        var p = 0;
        for (var i = 0; i < end.Entries && p + 46 <= directory.Length && directory[p..].StartsWith(DirectoryHeader); i++)
        {
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(directory[(p + 28)..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(directory[(p + 30)..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(directory[(p + 32)..]);
            if (p + 46 + nameLength > directory.Length) break;
            names.See(directory.Slice(p + 46, nameLength));
            p += 46 + nameLength + extraLength + commentLength;
        }
        return names.Kind;
    }

    /// <summary>The Office Open XML names seen so far.</summary>
    private ref struct OfficeNames
    {
        private bool _contentTypes;
        private DocumentKind? _openXml;

        public void See(ReadOnlySpan<byte> name)
        {
            if (name.SequenceEqual("[Content_Types].xml"u8)) _contentTypes = true;
            else if (name.StartsWith("word/"u8)) _openXml ??= DocumentKind.Docx;
            else if (name.StartsWith("xl/"u8)) _openXml ??= DocumentKind.Xlsx;
            else if (name.StartsWith("ppt/"u8)) _openXml ??= DocumentKind.Pptx;
        }

        public readonly DocumentKind Kind => _contentTypes && _openXml is { } kind ? kind : DocumentKind.Zip;
    }

    private static DocumentKind? OpenDocument(ReadOnlySpan<byte> head, int start, uint size)
    {
        if (size > 100 || start + size > head.Length) return null;
        var mime = head.Slice(start, (int)size);
        if (mime.SequenceEqual("application/vnd.oasis.opendocument.text"u8)) return DocumentKind.Odt;
        if (mime.SequenceEqual("application/vnd.oasis.opendocument.spreadsheet"u8)) return DocumentKind.Ods;
        return null;
    }
}

/// <summary>What the end of central directory record (APPNOTE 4.3.16) says about an archive, read before any entry is opened.</summary>
public sealed record ZipDirectoryEnd(int Entries, long DirectoryOffset, long DirectorySize)
{
    private const int RecordLength = 22;
    private static ReadOnlySpan<byte> Signature => "PK\x05\x06"u8;

    /// <summary>The record, searched backwards over the comment it may end with; null when there is none or it is ZIP64 (never needed by a document).</summary>
    public static ZipDirectoryEnd? Read(Stream archive)
    {
        var tailLength = (int)Math.Min(archive.Length, RecordLength + ushort.MaxValue);
        if (tailLength < RecordLength) return null;
        var tail = new byte[tailLength];
        archive.Position = archive.Length - tailLength;
        archive.ReadExactly(tail);
        return Find(tail);
    }

    /// <summary>The record within the last bytes of an archive, as <see cref="Read"/> finds it.</summary>
    public static ZipDirectoryEnd? Find(ReadOnlySpan<byte> tail)
    {
        if (tail.Length > RecordLength + ushort.MaxValue) tail = tail[^(RecordLength + ushort.MaxValue)..];
        var at = tail.LastIndexOf(Signature);
        if (at < 0 || at + RecordLength > tail.Length) return null;
        var record = tail[at..];
        var entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
        if (entries == ushort.MaxValue || size == uint.MaxValue || offset == uint.MaxValue) return null;
        return new ZipDirectoryEnd(entries, offset, size);
    }
}
