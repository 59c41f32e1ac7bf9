using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities.Collections;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using BcAttributeTable = Org.BouncyCastle.Asn1.Cms.AttributeTable;

namespace MotCua.FunctionApp.Tests.Infrastructure.Signing;

/// <summary>What goes into a CMS SignerInfo besides the mandatory content-type and message-digest attributes.</summary>
public sealed record CmsSignatureOptions
{
    /// <summary>Signed signingTime attribute; null leaves it out (PAdES/CAdES baseline forbids it in PDFs).</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>ESS signing-certificate-v2, which CAdES requires to bind the signer certificate.</summary>
    public bool IncludeSigningCertificateV2 { get; init; }

    /// <summary>Certificates besides the signer's to ship in the CMS (typically the intermediate).</summary>
    public X509Certificate2Collection? ExtraCertificates { get; init; }

    /// <summary>When set, an RFC 3161 token over the signature value is added as an unsigned attribute.</summary>
    public TimestampAuthority? Timestamp { get; init; }

    /// <summary>genTime of that token; defaults to <see cref="SigningTime"/> or now.</summary>
    public DateTimeOffset? TimestampTime { get; init; }
}

/// <summary>Stand-alone CMS SignedData files: detached <c>.p7s</c> next to a document, or enveloping (content inside).</summary>
public static class DetachedSignature
{
    /// <summary>DER CMS SignedData over <paramref name="content"/> without the content itself.</summary>
    public static byte[] CreateDetached(byte[] content, X509Certificate2 signer, CmsSignatureOptions? options = null) =>
        Sign(content, signer, options ?? new(), encapsulate: false);

    /// <summary>DER CMS SignedData that carries <paramref name="content"/> inside it.</summary>
    public static byte[] CreateEnveloping(byte[] content, X509Certificate2 signer, CmsSignatureOptions? options = null) =>
        Sign(content, signer, options ?? new(), encapsulate: true);

    /// <summary>Writes <c>{file}.p7s</c> next to the file and returns its path.</summary>
    public static string WriteDetached(string file, X509Certificate2 signer, CmsSignatureOptions? options = null)
    {
        var p7s = file + ".p7s";
        File.WriteAllBytes(p7s, CreateDetached(File.ReadAllBytes(file), signer, options));
        return p7s;
    }

    // BouncyCastle rather than SignedCms: the test project only sees the ASP.NET Core reference assemblies,
    // which do not expose System.Security.Cryptography.Pkcs at compile time.
    internal static byte[] Sign(byte[] content, X509Certificate2 signer, CmsSignatureOptions options, bool encapsulate)
    {
        var bcSigner = DotNetUtilities.FromX509Certificate(signer);
        var infoGenerator = new SignerInfoGeneratorBuilder()
            .WithSignedAttributeGenerator(new SignedAttributes(bcSigner, options))
            .Build(new Asn1SignatureFactory(TestPki.SignatureAlgorithm(signer), TestPki.PrivateKeyOf(signer)), bcSigner);

        var generator = new CmsSignedDataGenerator();
        generator.AddSignerInfoGenerator(infoGenerator);
        var certificates = new List<Org.BouncyCastle.X509.X509Certificate> { bcSigner };
        certificates.AddRange((options.ExtraCertificates ?? []).Select(DotNetUtilities.FromX509Certificate));
        generator.AddCertificates(CollectionUtilities.CreateStore(certificates));

        var cms = generator.Generate(new CmsProcessableByteArray(content), encapsulate).GetEncoded(Asn1Encodable.Der);
        return options.Timestamp is { } tsa
            ? tsa.AddSignatureTimestamp(cms, options.TimestampTime ?? options.SigningTime ?? DateTimeOffset.UtcNow)
            : cms;
    }

    // BouncyCastle's default generator always adds signingTime; CAdES-in-PDF must be able to leave it out.
    private sealed class SignedAttributes(Org.BouncyCastle.X509.X509Certificate signer, CmsSignatureOptions options)
        : CmsAttributeTableGenerator
    {
        public BcAttributeTable GetAttributes(IDictionary<CmsAttributeTableParameter, object> parameters)
        {
            var attributes = new Asn1EncodableVector
            {
                new BcAttribute(CmsAttributes.ContentType, new DerSet((DerObjectIdentifier)parameters[CmsAttributeTableParameter.ContentType])),
                new BcAttribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString((byte[])parameters[CmsAttributeTableParameter.Digest]))),
            };
            if (options.SigningTime is { } time)
                attributes.Add(new BcAttribute(CmsAttributes.SigningTime, new DerSet(new Org.BouncyCastle.Asn1.Cms.Time(time.UtcDateTime))));
            if (options.IncludeSigningCertificateV2)
            {
                var issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(signer.IssuerDN)), new DerInteger(signer.SerialNumber));
                var certId = new EssCertIDv2(SHA256.HashData(signer.GetEncoded()), issuerSerial);
                attributes.Add(new BcAttribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(new SigningCertificateV2([certId]))));
            }
            return new BcAttributeTable(attributes);
        }
    }
}
