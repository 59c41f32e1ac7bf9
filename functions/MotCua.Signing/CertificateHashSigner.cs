using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MotCua.Signing.Cms;

namespace MotCua.Signing;

/// <summary>A key MotCua holds in memory with its certificate, such as the agency's seal.</summary>
public sealed class CertificateHashSigner(X509Certificate2 certificate, IReadOnlyList<X509Certificate2>? chain = null) : IHashSigner
{
    public X509Certificate2 Certificate { get; } = certificate.HasPrivateKey
        ? certificate
        : throw new ArgumentException("The certificate has no private key.", nameof(certificate));

    public IReadOnlyList<X509Certificate2> Chain { get; } = chain ?? [];

    public Task<byte[]> SignDigestAsync(byte[] sha256, CancellationToken cancellationToken)
    {
        if (CmsSignedData.IsRsa(Certificate))
        {
            using var rsa = Certificate.GetRSAPrivateKey()!;
            return Task.FromResult(rsa.SignHash(sha256, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        using var ecdsa = Certificate.GetECDsaPrivateKey()
            ?? throw new PdfSigningException("unsupported-key", "The certificate's key is neither RSA nor ECDSA.");
        return Task.FromResult(ecdsa.SignHash(sha256, DSASignatureFormat.Rfc3279DerSequence));
    }
}
