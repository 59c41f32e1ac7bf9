using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;

namespace MotCua.FunctionApp.Tests.Infrastructure.Signing;

/// <summary>
/// An in-process RFC 3161 time-stamping authority: tokens with any genTime, signed by the test TSA certificate,
/// so signature-time verdicts can be tested without a network TSA.
/// </summary>
public sealed class TimestampAuthority(X509Certificate2 tsaCertificate, X509Certificate2Collection? chain = null)
{
    public const string SignatureTimeStampTokenOid = "1.2.840.113549.1.9.16.2.14";

    // Any OID will do; verifiers under test must not depend on a particular TSA policy.
    private const string PolicyOid = "1.3.6.1.4.1.99999.1.1";

    public X509Certificate2 Certificate { get; } = tsaCertificate;

    /// <summary>A TimeStampToken (DER ContentInfo) whose message imprint is SHA-256 of <paramref name="data"/>.</summary>
    public byte[] Stamp(ReadOnlySpan<byte> data, DateTimeOffset genTime) => StampHash(SHA256.HashData(data), genTime);

    /// <summary>Same as <see cref="Stamp"/> for callers that already hold the SHA-256 imprint.</summary>
    public byte[] StampHash(byte[] sha256, DateTimeOffset genTime)
    {
        var bcCertificate = DotNetUtilities.FromX509Certificate(Certificate);
        var signerInfo = new SignerInfoGeneratorBuilder().Build(
            new Asn1SignatureFactory(TestPki.SignatureAlgorithm(Certificate), TestPki.PrivateKeyOf(Certificate)), bcCertificate);
        // A SHA-256 certificate digest makes BouncyCastle emit signing-certificate-v2, which .NET's decoder requires.
        var generator = new TimeStampTokenGenerator(
            signerInfo, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256), new(PolicyOid), isIssuerSerialIncluded: true);
        var certificates = new List<Org.BouncyCastle.X509.X509Certificate> { bcCertificate };
        certificates.AddRange((chain ?? []).Select(DotNetUtilities.FromX509Certificate));
        generator.SetCertificates(CollectionUtilities.CreateStore(certificates));

        var requestGenerator = new TimeStampRequestGenerator();
        requestGenerator.SetCertReq(true);
        var request = requestGenerator.Generate(TspAlgorithms.Sha256, sha256, new BigInteger(1, RandomNumberGenerator.GetBytes(8)));
        var serial = new BigInteger(1, RandomNumberGenerator.GetBytes(12));
        var token = generator.Generate(request, serial, genTime.UtcDateTime).GetEncoded();
        return Asn1Object.FromByteArray(token).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>
    /// Stamps the signature value of the (first or given) SignerInfo and adds the token as the unsigned attribute
    /// id-aa-signatureTimeStampToken, as CAdES-T and PAdES do. Returns the re-encoded CMS.
    /// </summary>
    public byte[] AddSignatureTimestamp(byte[] cms, DateTimeOffset genTime, int signerIndex = 0)
    {
        var signed = new CmsSignedData(cms);
        var signers = signed.GetSignerInfos().GetSigners().ToList();
        var target = signers[signerIndex];
        var token = Asn1Object.FromByteArray(Stamp(target.GetSignature(), genTime));
        var unsigned = target.UnsignedAttributes?.ToDictionary() ?? new Dictionary<DerObjectIdentifier, object>();
        unsigned[PkcsObjectIdentifiers.IdAASignatureTimeStampToken] =
            new Org.BouncyCastle.Asn1.Cms.Attribute(PkcsObjectIdentifiers.IdAASignatureTimeStampToken, new DerSet(token));
        signers[signerIndex] = SignerInformation.ReplaceUnsignedAttributes(target, new AttributeTable(unsigned));
        return CmsSignedData.ReplaceSigners(signed, new SignerInformationStore(signers)).GetEncoded(Asn1Encodable.Der);
    }
}
