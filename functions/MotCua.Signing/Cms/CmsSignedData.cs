using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MotCua.Signing.Cms;

/// <summary>
/// A detached CMS SignedData (RFC 5652 §5) with one signer, assembled from a signature made
/// elsewhere: .NET's SignedCms signs only with a key it holds and over content it is given whole,
/// while here the key may be on a phone and the content is a large file's byte ranges.
/// </summary>
internal static class CmsSignedData
{
    public static byte[] Encode(X509Certificate2 signer, IReadOnlyList<X509Certificate2> chain, byte[] signedAttributes,
        byte[] signatureValue, byte[]? timestampToken)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oids.SignedData);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (writer.PushSequence())
            {
                writer.WriteInteger(1);
                using (writer.PushSetOf()) Sha256(writer);
                using (writer.PushSequence()) writer.WriteObjectIdentifier(Oids.Data);
                using (writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    foreach (var certificate in chain.Prepend(signer).DistinctBy(c => c.Thumbprint))
                        writer.WriteEncodedValue(certificate.RawData);
                using (writer.PushSetOf()) SignerInfo(writer, signer, signedAttributes, signatureValue, timestampToken);
            }
        }
        return writer.Encode();
    }

    private static void SignerInfo(AsnWriter writer, X509Certificate2 signer, byte[] signedAttributes, byte[] signatureValue, byte[]? timestampToken)
    {
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            using (writer.PushSequence())
            {
                writer.WriteEncodedValue(signer.IssuerName.RawData);
                writer.WriteInteger(signer.SerialNumberBytes.Span);
            }
            Sha256(writer);
            // The attributes were signed as a SET (tag 0x31); the SignerInfo carries them as [0] IMPLICIT.
            var implicitAttributes = (byte[])signedAttributes.Clone();
            implicitAttributes[0] = 0xA0;
            writer.WriteEncodedValue(implicitAttributes);
            using (writer.PushSequence())
            {
                if (IsRsa(signer))
                {
                    writer.WriteObjectIdentifier(Oids.RsaEncryption);
                    writer.WriteNull();
                }
                else writer.WriteObjectIdentifier(Oids.EcdsaWithSha256);
            }
            writer.WriteOctetString(signatureValue);
            if (timestampToken is not null)
                using (writer.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 1)))
                    CadesSignedAttributes.Attribute(writer, Oids.SignatureTimeStampToken, w => w.WriteEncodedValue(timestampToken));
        }
    }

    public static bool IsRsa(X509Certificate2 certificate) => certificate.PublicKey.Oid.Value == Oids.RsaEncryption;

    /// <summary>Whether <paramref name="signature"/> is the certificate's key's signature over <paramref name="digest"/>.</summary>
    public static bool Verifies(X509Certificate2 certificate, byte[] digest, byte[] signature)
    {
        if (IsRsa(certificate))
        {
            using var rsa = certificate.GetRSAPublicKey()!;
            return rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        using var ecdsa = certificate.GetECDsaPublicKey()
            ?? throw new PdfSigningException("unsupported-key", "The certificate's key is neither RSA nor ECDSA.");
        return ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>ECDSA signatures from phones may come as r‖s (Web Crypto); CMS carries DER.</summary>
    public static byte[] ToCmsForm(X509Certificate2 certificate, byte[] signature)
    {
        if (IsRsa(certificate)) return signature;
        using var ecdsa = certificate.GetECDsaPublicKey()
            ?? throw new PdfSigningException("unsupported-key", "The certificate's key is neither RSA nor ECDSA.");
        var fieldBytes = (ecdsa.KeySize + 7) / 8;
        if (signature.Length != 2 * fieldBytes) return signature;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(signature.AsSpan(0, fieldBytes)));
            writer.WriteIntegerUnsigned(Minimal(signature.AsSpan(fieldBytes)));
        }
        return writer.Encode();
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var start = value.IndexOfAnyExcept((byte)0);
        return start < 0 ? value[^1..] : value[start..];
    }

    private static void Sha256(AsnWriter writer)
    {
        using (writer.PushSequence()) writer.WriteObjectIdentifier(Oids.Sha256);
    }
}
