using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MotCua.FunctionApp.Tests.Infrastructure.Signing;

public enum TestKeyKind
{
    Rsa2048,
    EcdsaP256,
}

/// <summary>A CRL issued by one of the test CAs, kept so <see cref="TestPki.WriteTrustFolder"/> can publish it.</summary>
public sealed record TestCrl(string Name, byte[] Der);

/// <summary>
/// A throwaway PKI made at run time (root → intermediate → signers and a TSA, plus an unrelated rogue root),
/// so no key material is ever checked in. All certificates carry their private keys.
/// </summary>
public sealed class TestPki : IDisposable
{
    private const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";
    private readonly List<TestCrl> _crls = [];
    private readonly List<X509Certificate2> _issued = [];

    private TestPki(X509Certificate2 root, X509Certificate2 intermediate, X509Certificate2 tsa, X509Certificate2 rogueRoot)
    {
        Root = root;
        Intermediate = intermediate;
        Tsa = tsa;
        RogueRoot = rogueRoot;
    }

    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }
    public X509Certificate2 Tsa { get; }

    /// <summary>A self-signed root nobody trusts, for "chain does not reach an anchor" cases.</summary>
    public X509Certificate2 RogueRoot { get; }

    public IReadOnlyList<TestCrl> Crls => _crls;

    /// <summary>The intermediate, for CMS certificate sets that should let a verifier build the chain.</summary>
    public X509Certificate2Collection Chain => [Intermediate];

    /// <summary>CAs and TSA are valid from <paramref name="now"/> − 10 years to + 20 years so signer dates can roam freely.</summary>
    public static TestPki Create(DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var notBefore = at.AddYears(-10);
        var notAfter = at.AddYears(20);
        var root = CreateRoot("CN=MotCua Test Root CA, O=MotCua Test, C=VN", notBefore, notAfter);
        var intermediate = IssueCa("CN=MotCua Test Intermediate CA, O=MotCua Test, C=VN", root, notBefore, notAfter.AddDays(-1));
        var tsa = Issue(
            "CN=MotCua Test TSA, O=MotCua Test, C=VN", intermediate, notBefore, notAfter.AddDays(-2), TestKeyKind.Rsa2048,
            X509KeyUsageFlags.DigitalSignature, [TimeStampingOid], criticalEku: true);
        var rogue = CreateRoot("CN=Rogue Root CA, O=Nobody, C=VN", notBefore, notAfter);
        return new TestPki(root, intermediate, tsa, rogue);
    }

    /// <summary>
    /// An end-entity signing certificate issued by <paramref name="issuer"/> (default: the intermediate).
    /// Any dates are accepted, including ones outside the issuer's validity, so expired and not-yet-valid cases can be built.
    /// </summary>
    public X509Certificate2 IssueSigner(
        string subject,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        TestKeyKind key = TestKeyKind.Rsa2048,
        X509Certificate2? issuer = null,
        IReadOnlyList<string>? extendedKeyUsages = null)
    {
        var certificate = Issue(
            subject, issuer ?? Intermediate, notBefore, notAfter, key,
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, extendedKeyUsages, criticalEku: false);
        _issued.Add(certificate);
        return certificate;
    }

    /// <summary>Signs a CRL with <paramref name="issuer"/>'s key (intermediate or root) and remembers it for the trust folder.</summary>
    public byte[] IssueCrl(
        X509Certificate2 issuer,
        IEnumerable<(X509Certificate2 Certificate, DateTimeOffset RevokedAt)> revoked,
        DateTimeOffset thisUpdate,
        DateTimeOffset nextUpdate,
        string? name = null) =>
        IssueCrl(issuer, revoked.Select(r => (r.Certificate.SerialNumberBytes.ToArray(), r.RevokedAt)), thisUpdate, nextUpdate, name);

    /// <param name="revoked">Serials as big-endian bytes (the order of <see cref="X509Certificate2.SerialNumberBytes"/>).</param>
    public byte[] IssueCrl(
        X509Certificate2 issuer,
        IEnumerable<(byte[] Serial, DateTimeOffset RevokedAt)> revoked,
        DateTimeOffset thisUpdate,
        DateTimeOffset nextUpdate,
        string? name = null)
    {
        var bcIssuer = DotNetUtilities.FromX509Certificate(issuer);
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(bcIssuer.SubjectDN);
        generator.SetThisUpdate(thisUpdate.UtcDateTime);
        generator.SetNextUpdate(nextUpdate.UtcDateTime);
        foreach (var (serial, revokedAt) in revoked)
            generator.AddCrlEntry(new BigInteger(1, serial), revokedAt.UtcDateTime, CrlReason.KeyCompromise);
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(SubjectKeyId(issuer)));
        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.ValueOf(_crls.Count + 1)));
        var crl = generator.Generate(new Asn1SignatureFactory(SignatureAlgorithm(issuer), PrivateKeyOf(issuer)));
        var der = crl.GetEncoded();
        _crls.Add(new TestCrl(name ?? $"{(issuer.Equals(Root) ? "root" : "intermediate")}-{_crls.Count + 1}", der));
        return der;
    }

    /// <summary>
    /// The layout the verifier reads: anchors/ = trusted roots, intermediates/ = extra CA certificates,
    /// crls/ = revocation lists; everything DER.
    /// </summary>
    public void WriteTrustFolder(string dir, bool includeCrls = true)
    {
        var anchors = Directory.CreateDirectory(Path.Combine(dir, "anchors")).FullName;
        var intermediates = Directory.CreateDirectory(Path.Combine(dir, "intermediates")).FullName;
        var crls = Directory.CreateDirectory(Path.Combine(dir, "crls")).FullName;
        File.WriteAllBytes(Path.Combine(anchors, "root.cer"), Root.RawData);
        File.WriteAllBytes(Path.Combine(intermediates, "intermediate.cer"), Intermediate.RawData);
        if (!includeCrls) return;
        foreach (var crl in _crls)
            File.WriteAllBytes(Path.Combine(crls, crl.Name + ".crl"), crl.Der);
    }

    public void Dispose()
    {
        foreach (var certificate in _issued) certificate.Dispose();
        Root.Dispose();
        Intermediate.Dispose();
        Tsa.Dispose();
        RogueRoot.Dispose();
    }

    internal static AsymmetricKeyParameter PrivateKeyOf(X509Certificate2 certificate)
    {
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"{certificate.Subject} has no private key.");
        using (key)
            return PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
    }

    internal static string SignatureAlgorithm(X509Certificate2 certificate) =>
        certificate.GetKeyAlgorithm() == "1.2.840.113549.1.1.1" ? "SHA256WITHRSA" : "SHA256WITHECDSA";

    private static byte[] SubjectKeyId(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray();

    private static X509Certificate2 CreateRoot(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ski = new X509SubjectKeyIdentifierExtension(request.PublicKey, false);
        request.CertificateExtensions.Add(ski);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(ski));
        using var certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1), notBefore, notAfter, NewSerial());
        return Portable(certificate, key);
    }

    private static X509Certificate2 IssueCa(string subject, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return SignBy(request, key, issuer, notBefore, notAfter);
    }

    private static X509Certificate2 Issue(
        string subject, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter, TestKeyKind kind,
        X509KeyUsageFlags usage, IReadOnlyList<string>? ekus, bool criticalEku)
    {
        using AsymmetricAlgorithm key = kind == TestKeyKind.Rsa2048 ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        if (ekus is { Count: > 0 })
        {
            var oids = new OidCollection();
            foreach (var oid in ekus) oids.Add(new Oid(oid));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, criticalEku));
        }
        return SignBy(request, key, issuer, notBefore, notAfter);
    }

    // The generator overload is used on purpose: Create(issuerCertificate, …) refuses dates outside the issuer's
    // validity and cannot sign an ECDSA request with an RSA issuer.
    private static X509Certificate2 SignBy(
        CertificateRequest request, AsymmetricAlgorithm key, X509Certificate2 issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var issuerKey = issuer.GetRSAPrivateKey() ?? throw new InvalidOperationException("Test CAs use RSA keys.");
        var generator = X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(issuer.SubjectName, generator, notBefore, notAfter, NewSerial());
        return Portable(certificate, key);
    }

    // A PKCS#12 round trip gives a certificate whose key is bound the same way on every platform, so SignedCms can use it.
    private static X509Certificate2 Portable(X509Certificate2 publicOnly, AsymmetricAlgorithm key)
    {
        using var withKey = key switch
        {
            RSA rsa => publicOnly.CopyWithPrivateKey(rsa),
            ECDsa ecdsa => publicOnly.CopyWithPrivateKey(ecdsa),
            _ => throw new NotSupportedException(key.GetType().Name),
        };
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    // Positive 16-byte serials: random enough to be unique across every test run.
    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
