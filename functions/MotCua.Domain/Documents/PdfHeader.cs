namespace MotCua.Domain.Documents;

/// <summary>Recognises a PDF by its bytes: the <c>%PDF-</c> header must appear within the first 1024 bytes (ISO 32000).</summary>
public static class PdfHeader
{
    public const int SniffLength = 1024;
    private static readonly byte[] Marker = "%PDF-"u8.ToArray();

    public static bool IsPdf(ReadOnlySpan<byte> head)
    {
        var window = head.Length > SniffLength ? head[..SniffLength] : head;
        var at = window.IndexOf(Marker);
        return at >= 0 && at + Marker.Length + 3 <= window.Length
            && char.IsAsciiDigit((char)window[at + Marker.Length])
            && window[at + Marker.Length + 1] == (byte)'.'
            && char.IsAsciiDigit((char)window[at + Marker.Length + 2]);
    }
}
