using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MotCua.Signing.Cms;

/// <summary>
/// The signed attributes of a CAdES baseline signature as PAdES wants them (ETSI EN 319 122-1
/// §5.2, EN 319 142-1 §5.1): content-type, message-digest and signing-certificate-v2, and no
/// signing-time (the signature dictionary's <c>/M</c> carries the claimed time). Their DER
/// encoding is what the key signs, so it is built once and kept byte for byte.
/// </summary>
internal static class CadesSignedAttributes
{
    /// <summary>The attributes as a DER <c>SET OF Attribute</c> (tag 0x31), the form that is hashed and signed.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> documentDigest, X509Certificate2 signer)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSetOf())
        {
            Attribute(writer, Oids.ContentType, w => w.WriteObjectIdentifier(Oids.Data));
            var digest = documentDigest.ToArray();
            Attribute(writer, Oids.MessageDigest, w => w.WriteOctetString(digest));
            Attribute(writer, Oids.SigningCertificateV2, w => SigningCertificateV2(w, signer));
        }
        return writer.Encode();
    }

    /// <summary>The SHA-256 digest the signer's key signs.</summary>
    public static byte[] DigestToSign(byte[] encodedAttributes) => SHA256.HashData(encodedAttributes);

    public static void Attribute(AsnWriter writer, string oid, Action<AsnWriter> value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSetOf()) value(writer);
        }
    }

    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2's hash
    // algorithm defaults to SHA-256 and is therefore omitted in DER (RFC 5035 §3).
    private static void SigningCertificateV2(AsnWriter writer, X509Certificate2 signer)
    {
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(signer.RawData));
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4)))
                    writer.WriteEncodedValue(signer.IssuerName.RawData);
                writer.WriteInteger(signer.SerialNumberBytes.Span);
            }
        }
    }
}
