using System.Security.Cryptography.X509Certificates;

namespace MotCua.Signing;

/// <summary>
/// A key that signs where it lives: the agency's seal held by MotCua, a phone, or a remote-signing
/// service. It signs the SHA-256 digest of a CMS signature's signed attributes, never the document.
/// </summary>
public interface IHashSigner
{
    /// <summary>The signer's certificate; its public key verifies what <see cref="SignDigestAsync"/> returns.</summary>
    X509Certificate2 Certificate { get; }

    /// <summary>Issuing certificates up to (not necessarily including) the trust anchor, nearest first.</summary>
    IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>
    /// The signature over a SHA-256 digest, as CMS carries it: PKCS#1 v1.5 for RSA, DER
    /// (SEQUENCE of r and s) for ECDSA.
    /// </summary>
    Task<byte[]> SignDigestAsync(byte[] sha256, CancellationToken cancellationToken);
}
