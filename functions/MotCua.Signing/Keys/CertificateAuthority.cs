using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MotCua.Signing.Keys;

/// <summary>
/// A small certificate authority whose key is held in this process: the local demo's root, which
/// issues the agency's seal certificate, the time-stamping certificate and the certificates of
/// officials' phone keys, so signatures made locally chain to an anchor the verifier trusts.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    public const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";
    private const string UserIdOid = "0.9.2342.19200300.100.1.1";

    private CertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The authority's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static CertificateAuthority FromCertificate(X509Certificate2 certificate) =>
        certificate.HasPrivateKey ? new(certificate) : throw new SigningKeyException($"{certificate.Subject} has no private key to issue with.");

    /// <summary>Reads the authority from a PKCS#12 bundle, its key ephemeral.</summary>
    public static CertificateAuthority FromPkcs12(ReadOnlySpan<byte> pkcs12, string? password)
    {
        var signer = Pkcs12Keys.Load(pkcs12, password);
        return FromCertificate(signer.Certificate);
    }

    /// <summary>A new self-signed root with an ECDSA P-256 key.</summary>
    public static CertificateAuthority CreateRoot(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, false);
        request.CertificateExtensions.Add(ski);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new(Reload(certificate));
    }

    /// <summary>A signing certificate for a key held elsewhere (a phone), within the authority's own validity.</summary>
    public X509Certificate2 Issue(X500DistinguishedName subject, PublicKey publicKey, DateTimeOffset notBefore, DateTimeOffset notAfter,
        IReadOnlyList<string>? extendedKeyUsages = null)
    {
        var request = new CertificateRequest(subject, publicKey, HashAlgorithmName.SHA256);
        var usage = extendedKeyUsages?.Contains(TimeStampingOid) == true
            ? X509KeyUsageFlags.DigitalSignature
            : X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation;
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        if (extendedKeyUsages is { Count: > 0 })
        {
            var oids = new OidCollection();
            foreach (var oid in extendedKeyUsages) oids.Add(new Oid(oid));
            // RFC 3161 §2.3: a time-stamping certificate's only purpose, critical.
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, critical: true));
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var from = notBefore < Certificate.NotBefore ? new DateTimeOffset(Certificate.NotBefore.ToUniversalTime()) : notBefore;
        var until = notAfter > Certificate.NotAfter ? new DateTimeOffset(Certificate.NotAfter.ToUniversalTime()) : notAfter;
        using var rsa = Certificate.GetRSAPrivateKey();
        using var ecdsa = rsa is null ? Certificate.GetECDsaPrivateKey() : null;
        var generator = rsa is not null ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
            : ecdsa is not null ? X509SignatureGenerator.CreateForECDsa(ecdsa)
            : throw new SigningKeyException($"{Certificate.Subject} has no RSA or ECDSA private key.");
        return request.Create(Certificate.SubjectName, generator, from, until, NewSerial());
    }

    /// <summary>A new key and its certificate (the seal, the time-stamping unit), returned with the private key.</summary>
    public X509Certificate2 IssueWithNewKey(X500DistinguishedName subject, bool rsa, DateTimeOffset notBefore, DateTimeOffset notAfter,
        IReadOnlyList<string>? extendedKeyUsages = null)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(3072) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = key is RSA r ? new PublicKey(r) : new PublicKey((ECDsa)key);
        using var certificate = Issue(subject, publicKey, notBefore, notAfter, extendedKeyUsages);
        using var withKey = key is RSA rsaKey ? certificate.CopyWithPrivateKey(rsaKey) : certificate.CopyWithPrivateKey((ECDsa)key);
        return Reload(withKey);
    }

    /// <summary>The subject of an official's certificate: their name, and their user id as UID.</summary>
    public static X500DistinguishedName PersonSubject(string name, string userId, string organisation)
    {
        // Added most specific first, so the name reads (and is encoded) as the authority's own: CN=…, UID=…, O=…, C=VN.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(name);
        builder.Add(UserIdOid, userId, System.Formats.Asn1.UniversalTagNumber.UTF8String);
        builder.AddOrganizationName(organisation);
        builder.AddCountryOrRegion("VN");
        return builder.Build();
    }

    public void Dispose() => Certificate.Dispose();

    // A PKCS#12 round trip binds the key to the certificate the same way on every platform; it stays in memory.
    private static X509Certificate2 Reload(X509Certificate2 withKey) =>
        X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.EphemeralKeySet | X509KeyStorageFlags.Exportable);

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
