using System.Buffers.Binary;

namespace MotCua.Domain.Documents;

/// <summary>
/// Office files are ZIP archives. Which kind one is comes from its entries' names in the local file
/// headers of the first bytes: <c>[Content_Types].xml</c> with a <c>word/</c>, <c>xl/</c> or
/// <c>ppt/</c> part (Office Open XML), or a first entry <c>mimetype</c> stored uncompressed and
/// naming the OpenDocument type (ODF 1.2 §3.3). Anything else in a ZIP is a plain archive.
/// </summary>
public static class ZipContainer
{
    /// <summary>Office writers put the names that tell the kind in the first few entries.</summary>
    public const int SniffLength = 64 * 1024;

    private static ReadOnlySpan<byte> LocalHeader => "PK\x03\x04"u8;
    private static ReadOnlySpan<byte> EmptyArchive => "PK\x05\x06"u8;

    public static bool IsZip(ReadOnlySpan<byte> head) => head.StartsWith(LocalHeader) || head.StartsWith(EmptyArchive);

    public static DocumentKind Classify(ReadOnlySpan<byte> head)
    {
        var contentTypes = false;
        DocumentKind? openXml = null;
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
            if (name.SequenceEqual("[Content_Types].xml"u8)) contentTypes = true;
            else if (name.StartsWith("word/"u8)) openXml ??= DocumentKind.Docx;
            else if (name.StartsWith("xl/"u8)) openXml ??= DocumentKind.Xlsx;
            else if (name.StartsWith("ppt/"u8)) openXml ??= DocumentKind.Pptx;
        }
        return contentTypes && openXml is { } kind ? kind : DocumentKind.Zip;
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
        var at = tail.AsSpan().LastIndexOf(Signature);
        if (at < 0 || at + RecordLength > tail.Length) return null;
        var record = tail.AsSpan(at);
        var entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
        if (entries == ushort.MaxValue || size == uint.MaxValue || offset == uint.MaxValue) return null;
        return new ZipDirectoryEnd(entries, offset, size);
    }
}
