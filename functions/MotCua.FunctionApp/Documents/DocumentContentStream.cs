using System.Security.Cryptography;

namespace MotCua.FunctionApp.Documents;

/// <summary>
/// The bytes of one uploaded file on their way to blob storage: the already-sniffed head, then the
/// rest of the request section. Counts and hashes as it goes, and fails the read that would pass
/// the size limit, so an oversized file is refused while streaming, never after buffering.
/// </summary>
/// <param name="tail">Keeps the file's last bytes when the kind is judged again from the end (a ZIP's central directory).</param>
internal sealed class DocumentContentStream(ReadOnlyMemory<byte> head, Stream rest, long maxBytes, TailBytes? tail = null) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private ReadOnlyMemory<byte> _head = head;

    public long BytesRead { get; private set; }

    public bool LimitExceeded { get; private set; }

    /// <summary>Why reading the request failed (truncated, malformed, over the request limit), as opposed to storage failing.</summary>
    public Exception? SourceFailure { get; private set; }

    public string Sha256Hex() => Convert.ToHexStringLower(_sha256.GetCurrentHash());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        if (!_head.IsEmpty)
        {
            read = Math.Min(buffer.Length, _head.Length);
            _head[..read].CopyTo(buffer);
            _head = _head[read..];
        }
        else
        {
            try
            {
                read = await rest.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                SourceFailure = e;
                throw;
            }
        }

        BytesRead += read;
        if (BytesRead > maxBytes)
        {
            LimitExceeded = true;
            throw new DocumentTooLargeException();
        }
        _sha256.AppendData(buffer.Span[..read]);
        tail?.Append(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sha256.Dispose();
        base.Dispose(disposing);
    }
}

internal sealed class DocumentTooLargeException() : IOException("The document passes the size limit.");
