using System.Security.Cryptography.X509Certificates;

namespace MotCua.Signing;

/// <summary>
/// A signature waiting for its signer: the incremental update with an empty <c>/Contents</c>, the
/// signed attributes and the digest the key must sign. It is small and serialisable, so it can wait
/// while a phone or a remote-signing service signs, and completes against the same source file only.
/// </summary>
public sealed record PreparedSignature
{
    public required long SourceLength { get; init; }

    /// <summary>SHA-256 over the source and the update without the <c>/Contents</c> string: the CMS message digest.</summary>
    public required byte[] DocumentDigest { get; init; }

    public required byte[] Update { get; init; }

    /// <summary>Where the <c>&lt;…&gt;</c> string of <c>/Contents</c> starts in <see cref="Update"/>, and its length with the brackets.</summary>
    public required int ContentsOffset { get; init; }
    public required int ContentsLength { get; init; }

    /// <summary>The DER SET of signed attributes; the signer signs its SHA-256.</summary>
    public required byte[] SignedAttributes { get; init; }
    public required byte[] DigestToSign { get; init; }

    public required byte[] Certificate { get; init; }
    public required IReadOnlyList<byte[]> Chain { get; init; }

    public required string FieldName { get; init; }
    public required DateTimeOffset SigningTime { get; init; }

    /// <summary>The length of the signed file once completed.</summary>
    public long SignedLength => SourceLength + Update.Length;

    internal X509Certificate2 SignerCertificate() => X509CertificateLoader.LoadCertificate(Certificate);
    internal IReadOnlyList<X509Certificate2> ChainCertificates() => [.. Chain.Select(X509CertificateLoader.LoadCertificate)];
}
