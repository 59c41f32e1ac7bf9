namespace MotCua.Signing;

/// <summary>An RFC 3161 time-stamping authority.</summary>
public interface ITimestampAuthority
{
    /// <summary>
    /// A TimeStampToken (DER ContentInfo of SignedData over TSTInfo) whose message imprint is the
    /// given SHA-256 digest. Throws <see cref="TimestampUnavailableException"/> when the authority
    /// cannot be reached or refuses.
    /// </summary>
    Task<byte[]> TimestampAsync(byte[] sha256, CancellationToken cancellationToken);
}

public sealed class TimestampUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
