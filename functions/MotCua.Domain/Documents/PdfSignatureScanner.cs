using System.Buffers;
using System.Globalization;
using System.Text;

namespace MotCua.Domain.Documents;

/// <summary>A signature dictionary as it sits in the file: where its byte range says the signed bytes are.</summary>
/// <param name="ByteRange">[start1, length1, start2, length2], or null when it could not be read.</param>
/// <param name="Problem">Why the dictionary is unusable, in English; null when the byte range is sound.</param>
/// <param name="ClaimedTime">The signing time the dictionary's <c>/M</c> claims: reported, never trusted.</param>
public sealed record PdfSignatureField(long Offset, long[]? ByteRange, string? SubFilter, string? Problem, DateTimeOffset? ClaimedTime = null)
{
    /// <summary>The hex <c>/Contents</c> string sits exactly in the gap between the two ranges.</summary>
    public (long Start, long Length) ContentsGap => (ByteRange![1], ByteRange[2] - ByteRange[1]);

    public long CoveredUpTo => ByteRange is null ? 0 : ByteRange[2] + ByteRange[3];
}

/// <summary>
/// Finds the signature dictionaries of a PDF by reading its bytes once, in a bounded window. A
/// signature's <c>/ByteRange</c> and <c>/Contents</c> must lie in the file's own bytes (ISO 32000-1
/// §12.8.1: the gap is measured in file offsets), so they cannot hide in compressed object streams.
/// No PDF parser runs over untrusted content here.
/// </summary>
public static class PdfSignatureScanner
{
    private const int ChunkBytes = 64 * 1024;
    private const int DictionaryWindow = 4096;
    private static readonly byte[] ByteRangeKey = "/ByteRange"u8.ToArray();
    private static readonly byte[] SubFilterKey = "/SubFilter"u8.ToArray();
    private static readonly byte[] TimeKey = "/M"u8.ToArray();
    private static readonly byte[] EndObject = "endobj"u8.ToArray();

    /// <param name="maxFields">Scanning stops after this many: a file stuffed with signature keys costs no more than a real one.</param>
    public static IReadOnlyList<PdfSignatureField> Scan(Stream pdf, int maxFields = int.MaxValue)
    {
        var length = pdf.Length;
        var offsets = FindAll(pdf, ByteRangeKey, maxFields);
        var fields = new List<PdfSignatureField>();
        foreach (var offset in offsets)
        {
            var window = ReadWindow(pdf, offset - DictionaryWindow, 2 * DictionaryWindow);
            var at = (int)(offset - window.Start);
            var byteRange = ParseByteRange(window.Bytes.AsSpan(at + ByteRangeKey.Length));
            var problem = byteRange is null ? "The /ByteRange is not four numbers." : CheckByteRange(pdf, byteRange, length);
            var subFilter = FindName(window, SubFilterKey, byteRange);
            var claimed = problem is null ? FindClaimedTime(pdf, window, at, byteRange!) : null;
            var field = new PdfSignatureField(offset, byteRange, subFilter, problem, claimed);
            // A dictionary rewritten in an incremental update repeats the same range: one signature.
            if (byteRange is null || !fields.Any(f => f.ByteRange is { } r && r.SequenceEqual(byteRange))) fields.Add(field);
        }
        return fields;
    }

    /// <summary>The checks of ISO 32000-1 §12.8.1: starts at 0, ranges in order and inside the file, the gap holds exactly one hex string.</summary>
    private static string? CheckByteRange(Stream pdf, long[] r, long fileLength)
    {
        if (r[0] != 0) return "The signed range does not start at the beginning of the file.";
        if (r[1] <= 0 || r[3] < 0 || r[2] <= r[1] + 1) return "The signed ranges overlap or are empty.";
        if (r[2] + r[3] > fileLength) return $"The signed ranges lie outside the file (they reach byte {r[2] + r[3]}, the file has {fileLength}): the file is truncated.";
        if (r[2] - r[1] > 2 * 1024 * 1024) return "The signature is larger than 1 MB.";
        pdf.Position = r[1];
        var first = pdf.ReadByte();
        pdf.Position = r[2] - 1;
        var last = pdf.ReadByte();
        return first == '<' && last == '>' ? null : "The gap between the signed ranges is not the /Contents hex string.";
    }

    /// <summary>Reads the hex <c>/Contents</c> in the gap and cuts the zero padding after the DER value.</summary>
    public static byte[] ReadContents(Stream pdf, PdfSignatureField field)
    {
        var (start, gap) = field.ContentsGap;
        var hex = new byte[gap - 2];
        pdf.Position = start + 1;
        pdf.ReadExactly(hex);
        var text = Encoding.ASCII.GetString(hex).Replace("\n", "").Replace("\r", "").Replace(" ", "");
        if (text.Length % 2 == 1) text += "0";
        var bytes = Convert.FromHexString(text);
        return bytes[..DerLength(bytes)];
    }

    /// <summary>The length of the first DER value, so trailing padding is not taken for content.</summary>
    private static int DerLength(byte[] der)
    {
        if (der.Length < 2) throw new FormatException("The signature is empty.");
        int lengthByte = der[1];
        if (lengthByte < 0x80) return Math.Min(der.Length, 2 + lengthByte);
        var count = lengthByte & 0x7F;
        if (count is 0 or > 4 || der.Length < 2 + count) throw new FormatException("The signature's length is unreadable.");
        long length = 0;
        for (var i = 0; i < count; i++) length = (length << 8) | der[2 + i];
        var total = 2 + count + length;
        if (total > der.Length) throw new FormatException("The signature is truncated.");
        return (int)total;
    }

    private static long[]? ParseByteRange(ReadOnlySpan<byte> after)
    {
        var i = SkipSpace(after, 0);
        if (i >= after.Length || after[i] != '[') return null;
        var numbers = new long[4];
        i++;
        for (var n = 0; n < 4; n++)
        {
            i = SkipSpace(after, i);
            var start = i;
            while (i < after.Length && char.IsAsciiDigit((char)after[i])) i++;
            if (i == start || i - start > 15) return null;
            numbers[n] = long.Parse(after[start..i], NumberStyles.None, CultureInfo.InvariantCulture);
        }
        i = SkipSpace(after, i);
        return i < after.Length && after[i] == ']' ? numbers : null;
    }

    private static string? FindName((long Start, byte[] Bytes) window, byte[] key, long[]? byteRange)
    {
        var span = window.Bytes.AsSpan();
        var from = 0;
        while (true)
        {
            var at = span[from..].IndexOf(key);
            if (at < 0) return null;
            at += from;
            var absolute = window.Start + at;
            // Hex contents can by chance spell nothing of the sort, but skip the gap all the same.
            var insideGap = byteRange is not null && absolute >= byteRange[1] && absolute < byteRange[2];
            if (!insideGap)
            {
                var i = SkipSpace(span, at + key.Length);
                if (i < span.Length && span[i] == '/')
                {
                    var start = ++i;
                    while (i < span.Length && span[i] > 0x20 && span[i] < 0x7F && "/<>[]()".IndexOf((char)span[i]) < 0) i++;
                    return Encoding.ASCII.GetString(span[start..i]);
                }
            }
            from = at + key.Length;
        }
    }

    /// <summary>
    /// The <c>/M</c> date string of the signature dictionary: searched in the object that holds the
    /// <c>/ByteRange</c> (between the surrounding <c>endobj</c>s), outside the hex gap, and after the
    /// gap when the dictionary runs past the first window.
    /// </summary>
    private static DateTimeOffset? FindClaimedTime(Stream pdf, (long Start, byte[] Bytes) window, int at, long[] byteRange)
    {
        var span = window.Bytes.AsSpan();
        var before = span[..at].LastIndexOf(EndObject);
        var from = before < 0 ? 0 : before + EndObject.Length;
        var after = span[at..].IndexOf(EndObject);
        var to = after < 0 ? span.Length : at + after;
        var gapStart = (int)Math.Clamp(byteRange[1] - window.Start, from, to);
        var gapEnd = (int)Math.Clamp(byteRange[2] - window.Start, from, to);
        if ((DateIn(span[from..gapStart]) ?? DateIn(span[gapEnd..to])) is { } found) return found;
        if (after >= 0 || byteRange[2] < window.Start + span.Length) return null;
        var tail = ReadWindow(pdf, byteRange[2], DictionaryWindow).Bytes.AsSpan();
        var end = tail.IndexOf(EndObject);
        return DateIn(end < 0 ? tail : tail[..end]);
    }

    private static DateTimeOffset? DateIn(ReadOnlySpan<byte> span)
    {
        var from = 0;
        while (from < span.Length)
        {
            var at = span[from..].IndexOf(TimeKey);
            if (at < 0) return null;
            at += from;
            var i = at + TimeKey.Length;
            // "/M" and not "/MDP", "/Matrix": the name ends at a delimiter.
            if (i < span.Length && span[i] is (byte)'(' or (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t')
            {
                i = SkipSpace(span, i);
                if (i < span.Length && span[i] == '(')
                {
                    var close = span[(i + 1)..].IndexOf((byte)')');
                    if (close is > 0 and <= 64) return PdfDate.Parse(Encoding.ASCII.GetString(span.Slice(i + 1, close)));
                }
            }
            from = at + TimeKey.Length;
        }
        return null;
    }

    private static int SkipSpace(ReadOnlySpan<byte> span, int i)
    {
        while (i < span.Length && span[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or 0 or 0x0C) i++;
        return i;
    }

    private static (long Start, byte[] Bytes) ReadWindow(Stream pdf, long start, int length)
    {
        start = Math.Max(0, start);
        length = (int)Math.Min(length, pdf.Length - start);
        var bytes = new byte[length];
        pdf.Position = start;
        pdf.ReadExactly(bytes);
        return (start, bytes);
    }

    /// <summary>Every offset of <paramref name="needle"/>, reading the stream in chunks that overlap by the needle's length.</summary>
    private static List<long> FindAll(Stream stream, byte[] needle, int maxFound)
    {
        var found = new List<long>();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes + needle.Length);
        try
        {
            stream.Position = 0;
            long bufferStart = 0;
            var kept = 0;
            while (true)
            {
                var read = stream.ReadAtLeast(buffer.AsSpan(kept, ChunkBytes), ChunkBytes, throwOnEndOfStream: false);
                var filled = kept + read;
                var span = buffer.AsSpan(0, filled);
                var from = 0;
                while (from < filled)
                {
                    var at = span[from..].IndexOf(needle);
                    if (at < 0) break;
                    found.Add(bufferStart + from + at);
                    if (found.Count >= maxFound) return found;
                    from += at + needle.Length;
                }
                if (read == 0) break;
                // Keep the tail that could start a match cut by the chunk boundary.
                kept = Math.Min(needle.Length - 1, filled);
                span[(filled - kept)..].CopyTo(buffer);
                bufferStart += filled - kept;
            }
            return found;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
