using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MotCua.FunctionApp.Documents.Signatures;

/// <summary>The digest and signature algorithms CMS signers use, mapped to .NET's implementations.</summary>
internal static class SignatureAlgorithms
{
    public static bool TryHash(string oid, out HashAlgorithmName hash)
    {
        hash = oid switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
            _ => default,
        };
        return hash != default;
    }

    /// <summary>
    /// A certificate whose key usage is stated must allow digital signatures or non-repudiation: a
    /// TLS server's or an authority's certificate does not sign documents.
    /// </summary>
    public static bool MaySign(X509Certificate2 certificate)
    {
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        return usage is null || (usage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) != 0;
    }

    /// <summary>True or false for a verdict; null when the algorithm is not one we know.</summary>
    public static bool? Verify(string signatureOid, X509Certificate2 certificate, HashAlgorithmName hash, byte[] data, bool isDigest, byte[] signature)
    {
        switch (signatureOid)
        {
            case "1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.5" or "1.2.840.113549.1.1.11" or "1.2.840.113549.1.1.12" or "1.2.840.113549.1.1.13":
            case "1.2.840.113549.1.1.10":
            {
                using var rsa = certificate.GetRSAPublicKey();
                if (rsa is null) return false;
                var padding = signatureOid == "1.2.840.113549.1.1.10" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                return isDigest ? rsa.VerifyHash(data, signature, hash, padding) : rsa.VerifyData(data, signature, hash, padding);
            }
            case "1.2.840.10045.2.1" or "1.2.840.10045.4.1" or "1.2.840.10045.4.3.2" or "1.2.840.10045.4.3.3" or "1.2.840.10045.4.3.4":
            {
                using var ecdsa = certificate.GetECDsaPublicKey();
                if (ecdsa is null) return false;
                return isDigest
                    ? ecdsa.VerifyHash(data, signature, DSASignatureFormat.Rfc3279DerSequence)
                    : ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
            }
            default:
                return null;
        }
    }
}
