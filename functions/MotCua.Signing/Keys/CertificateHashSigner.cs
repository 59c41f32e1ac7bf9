using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MotCua.Signing.Keys;

/// <summary>
/// A key held in this process with its certificate: the agency's seal loaded from a PKCS#12 file or
/// from Key Vault. RSA keys sign PKCS#1 v1.5, ECDSA keys DER-encoded (r, s), as CMS carries them.
/// </summary>
public sealed class CertificateHashSigner : IHashSigner, IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    public CertificateHashSigner(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        _rsa = certificate.GetRSAPrivateKey();
        _ecdsa = _rsa is null ? certificate.GetECDsaPrivateKey() : null;
        if (_rsa is null && _ecdsa is null)
            throw new ArgumentException($"The certificate {certificate.Subject} has no RSA or ECDSA private key.", nameof(certificate));
        Certificate = certificate;
        Chain = chain;
    }

    public X509Certificate2 Certificate { get; }

    public IReadOnlyList<X509Certificate2> Chain { get; }

    public Task<byte[]> SignDigestAsync(byte[] sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (sha256.Length != SHA256.HashSizeInBytes) throw new ArgumentException("A SHA-256 digest has 32 bytes.", nameof(sha256));
        cancellationToken.ThrowIfCancellationRequested();
        var signature = _rsa is not null
            ? _rsa.SignHash(sha256, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ecdsa!.SignHash(sha256, DSASignatureFormat.Rfc3279DerSequence);
        return Task.FromResult(signature);
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
        Certificate.Dispose();
        foreach (var certificate in Chain) certificate.Dispose();
    }
}
