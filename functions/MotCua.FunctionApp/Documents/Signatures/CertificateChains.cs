using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace MotCua.FunctionApp.Documents.Signatures;

/// <summary>
/// Builds a signer's chain to the configured anchors only (never the machine's store, never a
/// download) at the time that matters, then checks each link against the cached revocation lists.
/// </summary>
internal static class CertificateChains
{
    private const X509ChainStatusFlags TimeFlags = X509ChainStatusFlags.NotTimeValid;
    private static readonly ConcurrentDictionary<(X509Crl, string), bool> CrlSignatureChecks = new();

    public static (SignatureVerdict Verdict, string? Reason) Check(X509Certificate2 certificate, X509Certificate2Collection candidates, TrustMaterial trust,
        DateTimeOffset validityTime, DateTimeOffset revocationTime)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trust.Anchors);
        policy.ExtraStore.AddRange(trust.Intermediates);
        policy.ExtraStore.AddRange(candidates);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = validityTime.UtcDateTime;
        policy.VerificationTimeIgnored = false;

        var built = chain.Build(certificate);
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if (!built && (flags & ~TimeFlags) != X509ChainStatusFlags.NoError)
            return (SignatureVerdict.UntrustedChain, $"The certificate does not chain to a trusted authority ({flags & ~TimeFlags}).");
        if ((flags & TimeFlags) != 0)
        {
            var early = chain.ChainElements.Any(e => validityTime < new DateTimeOffset(e.Certificate.NotBefore.ToUniversalTime()));
            return early
                ? (SignatureVerdict.NotYetValid, $"A certificate of the chain was not yet valid at {validityTime:u}.")
                : (SignatureVerdict.Expired, $"A certificate of the chain had expired at {validityTime:u}.");
        }

        for (var i = 0; i + 1 < chain.ChainElements.Count; i++)
        {
            var subject = chain.ChainElements[i].Certificate;
            var issuer = chain.ChainElements[i + 1].Certificate;
            if (RevokedAt(subject, issuer, trust, revocationTime) is { } revokedAt)
                return (SignatureVerdict.Revoked, $"{subject.Subject} was revoked at {revokedAt:u}.");
        }
        return (SignatureVerdict.Valid, null);
    }

    private static DateTimeOffset? RevokedAt(X509Certificate2 subject, X509Certificate2 issuer, TrustMaterial trust, DateTimeOffset at)
    {
        if (trust.Crls.Count == 0) return null;
        var bcIssuer = new X509Certificate(issuer.RawData);
        var serial = new BigInteger(1, subject.GetSerialNumber().Reverse().ToArray());
        foreach (var crl in trust.Crls)
        {
            if (!crl.IssuerDN.Equivalent(bcIssuer.SubjectDN)) continue;
            // Only a list signed by the issuer itself counts.
            if (!CrlSignatureChecks.GetOrAdd((crl, issuer.Thumbprint), _ => SignedBy(crl, bcIssuer))) continue;
            var entry = crl.GetRevokedCertificate(serial);
            if (entry is null) continue;
            var revokedAt = new DateTimeOffset(DateTime.SpecifyKind(entry.RevocationDate, DateTimeKind.Utc));
            if (revokedAt <= at) return revokedAt;
        }
        return null;
    }

    private static bool SignedBy(X509Crl crl, X509Certificate issuer)
    {
        try
        {
            crl.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException or Org.BouncyCastle.Security.Certificates.CrlException or InvalidOperationException)
        {
            return false;
        }
    }
}
