using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Cms;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace MotCua.FunctionApp.Documents.Signatures;

/// <summary>One verified signer: its verdict and the report officials see.</summary>
public sealed record VerifiedSigner(SignatureVerdict Verdict, SignatureReport Report);

/// <summary>
/// Verifies the signers of a CMS SignedData over content the caller digests (streamed from the file,
/// never held in memory). BouncyCastle reads the structure; the digest, the signature and the chain
/// are checked with .NET's native cryptography, which is several times faster for large files.
/// </summary>
public static class CmsSignatureVerifier
{
    private const string SignatureTimestampOid = "1.2.840.113549.1.9.16.2.14";
    private const int MaxSignersPerSignature = 10;

    public static IReadOnlyList<VerifiedSigner> Verify(byte[] cms, Func<HashAlgorithmName, byte[]> digestContent, TrustMaterial trust, DateTimeOffset now,
        string? subFilter = null, bool coversWholeFile = true, long? coveredBytes = null, string? modifiedAfter = null, DateTimeOffset? claimedInContainer = null)
    {
        List<BcCertificate> certificates;
        X509Certificate2Collection candidates = [];
        ICollection<SignerInformation> signers;
        try
        {
            var signedData = new CmsSignedData(cms);
            certificates = signedData.GetCertificates().EnumerateMatches(null).ToList();
            foreach (var certificate in certificates) candidates.Add(X509CertificateLoader.LoadCertificate(certificate.GetEncoded()));
            signers = signedData.GetSignerInfos().GetSigners();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever a hostile structure makes the parser throw, the verdict is the same.
            return [Malformed($"The signature is not a readable CMS SignedData structure: {e.Message}")];
        }

        var results = new List<VerifiedSigner>();
        foreach (var signer in signers.Take(MaxSignersPerSignature))
        {
            try
            {
                results.Add(VerifySigner(signer, certificates, candidates, digestContent, trust, now, subFilter, coversWholeFile, coveredBytes, modifiedAfter, claimedInContainer));
            }
            catch (Exception e) when (e is not OperationCanceledException and not IOException)
            {
                results.Add(Malformed($"The signer cannot be read: {e.Message}"));
            }
        }
        return results.Count == 0 ? [Malformed("The signature has no signer.")] : results;

        VerifiedSigner Malformed(string reason) => new(SignatureVerdict.Malformed,
            Report(SignatureVerdict.Malformed, reason, subFilter, null, null, null, coversWholeFile, coveredBytes));
    }

    private static VerifiedSigner VerifySigner(SignerInformation signer, List<BcCertificate> certificates, X509Certificate2Collection candidates,
        Func<HashAlgorithmName, byte[]> digestContent, TrustMaterial trust, DateTimeOffset now, string? subFilter, bool coversWholeFile, long? coveredBytes, string? modifiedAfter,
        DateTimeOffset? claimedInContainer)
    {
        // The candidates were loaded from the same list, in the same order.
        var index = certificates.FindIndex(c => signer.SignerID.Match(c));
        if (index < 0)
            return Result(SignatureVerdict.Malformed, "The signer's certificate is not in the signature.", null);
        var certificate = candidates[index];
        // PAdES forbids the signingTime attribute: the claim then sits in the PDF signature dictionary (/M).
        var signingTime = ClaimedSigningTime(signer) ?? claimedInContainer;
        if (signer.SignedAttributes?[CmsAttributes.MessageDigest] is { AttrValues.Count: 0 })
            return Result(SignatureVerdict.Malformed, "The message digest attribute is empty.", certificate, signingTime);

        if (!SignatureAlgorithms.TryHash(signer.DigestAlgorithmID.Algorithm.Id, out var hash))
            return Result(SignatureVerdict.Malformed, $"Unsupported digest algorithm {signer.DigestAlgorithmID.Algorithm.Id}.", certificate, signingTime);
        if (hash == HashAlgorithmName.SHA1)
            return Result(SignatureVerdict.Invalid, "SHA-1 digests can be forged by collision and are no longer accepted.", certificate, signingTime);
        if (!SignatureAlgorithms.MaySign(certificate))
            return Result(SignatureVerdict.Invalid, "The certificate's key usage does not allow signing documents.", certificate, signingTime);
        var digest = digestContent(hash);

        byte[] signedBytes;
        var signedAttributes = signer.GetEncodedSignedAttributes();
        if (signedAttributes is not null)
        {
            var messageDigest = signer.SignedAttributes?[CmsAttributes.MessageDigest]?.AttrValues[0] as Asn1OctetString;
            if (messageDigest is null) return Result(SignatureVerdict.Malformed, "The signed attributes lack the message digest.", certificate, signingTime);
            if (!CryptographicOperations.FixedTimeEquals(messageDigest.GetOctets(), digest))
                return Result(SignatureVerdict.Invalid, "The signed bytes were changed: their digest differs from the signed one.", certificate, signingTime);
            signedBytes = signedAttributes;
        }
        else
        {
            signedBytes = digest;
        }

        var signatureValue = signer.GetSignature();
        var signatureOk = SignatureAlgorithms.Verify(signer.SignatureAlgorithm.Algorithm.Id, certificate, hash, signedBytes, isDigest: signedAttributes is null, signatureValue);
        if (signatureOk is null)
            return Result(SignatureVerdict.Malformed, $"Unsupported signature algorithm {signer.SignatureAlgorithm.Algorithm.Id}.", certificate, signingTime);
        if (signatureOk == false)
            return Result(SignatureVerdict.Invalid, "The signature value does not match the signer's key.", certificate, signingTime);

        var timestamp = TrustedTimestamp(signer, signatureValue, candidates, trust, now);
        // Only a trusted timestamp fixes when the signature was made. The signer's own claimed time is
        // reported, never relied on: with an expired certificate's key anyone could claim an earlier date.
        var time = timestamp ?? now;
        var chain = CertificateChains.Check(certificate, candidates, trust, time, revocationTime: time);
        if (chain.Verdict != SignatureVerdict.Valid) return Result(chain.Verdict, chain.Reason, certificate, signingTime, timestamp);
        if (modifiedAfter is not null)
            return Result(SignatureVerdict.ModifiedAfterSigning, modifiedAfter, certificate, signingTime, timestamp);
        var valid = Result(SignatureVerdict.Valid, null, certificate, signingTime, timestamp);
        if (timestamp is null) return valid;
        // Valid at the timestamp's time; judged now the certificate may have expired or been revoked since, which a clerk must see.
        var today = CertificateChains.Check(certificate, candidates, trust, now, revocationTime: now);
        if (today.Verdict == SignatureVerdict.Valid) return valid;
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        return valid with { Report = valid.Report with { ValidByTimestamp = true, CertificateExpiredSince = notAfter < now ? notAfter : null } };

        VerifiedSigner Result(SignatureVerdict verdict, string? reason, X509Certificate2? cert, DateTimeOffset? claimed = null, DateTimeOffset? stamped = null) =>
            new(verdict, Report(verdict, reason, subFilter, cert, claimed, stamped, coversWholeFile, coveredBytes));
    }

    /// <summary>The RFC 3161 token over the signature value, when it verifies and its authority is trusted at its own time.</summary>
    private static DateTimeOffset? TrustedTimestamp(SignerInformation signer, byte[] signatureValue, X509Certificate2Collection candidates, TrustMaterial trust, DateTimeOffset now)
    {
        try
        {
            return StampedAt(signer, signatureValue, candidates, trust, now);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An unreadable timestamp proves nothing: the signature is judged as if it had none.
            return null;
        }
    }

    private static DateTimeOffset? StampedAt(SignerInformation signer, byte[] signatureValue, X509Certificate2Collection candidates, TrustMaterial trust, DateTimeOffset now)
    {
        var attribute = signer.UnsignedAttributes?[new DerObjectIdentifier(SignatureTimestampOid)];
        if (attribute is null || attribute.AttrValues.Count == 0) return null;
        var encoded = attribute.AttrValues[0].ToAsn1Object().GetEncoded(Asn1Encodable.Der);
        if (!Rfc3161TimestampToken.TryDecode(encoded, out var token, out _)) return null;
        if (!token.VerifySignatureForData(signatureValue, out var authority, candidates) || authority is null) return null;
        var stampedAt = token.TokenInfo.Timestamp;
        var authorityChain = CertificateChains.Check(authority, candidates, trust, stampedAt, revocationTime: now);
        return authorityChain.Verdict == SignatureVerdict.Valid ? stampedAt : null;
    }

    private static DateTimeOffset? ClaimedSigningTime(SignerInformation signer)
    {
        var values = signer.SignedAttributes?[CmsAttributes.SigningTime]?.AttrValues;
        var value = values is { Count: > 0 } ? values[0] : null;
        try
        {
            return value is null ? null : new DateTimeOffset(Time.GetInstance(value).ToDateTime(), TimeSpan.Zero);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return null;
        }
    }

    private static SignatureReport Report(SignatureVerdict verdict, string? reason, string? subFilter, X509Certificate2? certificate,
        DateTimeOffset? signingTime, DateTimeOffset? timestampTime, bool coversWholeFile, long? coveredBytes) =>
        new(verdict.Slug(), verdict.Vietnamese(), reason, subFilter, certificate?.Subject, certificate?.Issuer, certificate?.SerialNumber,
            signingTime, timestampTime, coversWholeFile, coveredBytes);
}
