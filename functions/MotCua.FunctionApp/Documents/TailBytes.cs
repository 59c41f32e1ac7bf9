namespace MotCua.FunctionApp.Documents;

/// <summary>The last bytes of a file streaming past, kept in a ring: where a ZIP archive's central directory lies.</summary>
internal sealed class TailBytes(int capacity)
{
    private readonly byte[] _ring = new byte[capacity];
    private long _total;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        _total += bytes.Length;
        if (bytes.Length > _ring.Length) bytes = bytes[^_ring.Length..];
        var at = (int)((_total - bytes.Length) % _ring.Length);
        var first = Math.Min(bytes.Length, _ring.Length - at);
        bytes[..first].CopyTo(_ring.AsSpan(at));
        bytes[first..].CopyTo(_ring);
    }

    public byte[] ToArray()
    {
        if (_total <= _ring.Length) return _ring.AsSpan(0, (int)_total).ToArray();
        var end = (int)(_total % _ring.Length);
        return [.. _ring.AsSpan(end), .. _ring.AsSpan(0, end)];
    }
}
