using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace MotCua.FunctionApp.Documents.Signatures;

/// <summary>
/// Builds a signer's chain to the configured anchors only (never the machine's store, never a
/// download), then judges it at the time that matters and checks each link against the cached
/// revocation lists. The chain's shape does not depend on time, so it is built once per signer
/// and trust material; the time and revocation checks run every time.
/// </summary>
internal static class CertificateChains
{
    private const int MaxCachedChains = 10_000;

    internal sealed record CachedChain(X509ChainStatusFlags Problems, X509Certificate2[] Certificates, X509Certificate[] BcCertificates);

    public static (SignatureVerdict Verdict, string? Reason) Check(X509Certificate2 certificate, X509Certificate2Collection candidates, TrustMaterial trust,
        DateTimeOffset validityTime, DateTimeOffset revocationTime)
    {
        var chain = StructureOf(certificate, candidates, trust);
        if (chain.Problems != X509ChainStatusFlags.NoError)
            return (SignatureVerdict.UntrustedChain, $"The certificate does not chain to a trusted authority ({chain.Problems}).");

        foreach (var link in chain.Certificates)
        {
            if (validityTime < new DateTimeOffset(link.NotBefore.ToUniversalTime()))
                return (SignatureVerdict.NotYetValid, $"{link.Subject} was not yet valid at {validityTime:u}.");
            if (validityTime > new DateTimeOffset(link.NotAfter.ToUniversalTime()))
                return (SignatureVerdict.Expired, $"{link.Subject} had expired at {validityTime:u}.");
        }

        for (var i = 0; i + 1 < chain.Certificates.Length; i++)
        {
            if (RevokedAt(chain.Certificates[i], chain.Certificates[i + 1], chain.BcCertificates[i + 1], trust, revocationTime) is { } revokedAt)
                return (SignatureVerdict.Revoked, $"{chain.Certificates[i].Subject} was revoked at {revokedAt:u}.");
        }
        return (SignatureVerdict.Valid, null);
    }

    /// <summary>The issuers between <paramref name="certificate"/> and its anchor, nearest first (empty when it is issued by the anchor itself).</summary>
    public static X509Certificate2[] IssuersBelowAnchor(X509Certificate2 certificate, X509Certificate2Collection candidates, TrustMaterial trust)
    {
        var chain = StructureOf(certificate, candidates, trust).Certificates;
        return chain.Length <= 2 ? [] : chain[1..^1];
    }

    private static CachedChain StructureOf(X509Certificate2 certificate, X509Certificate2Collection candidates, TrustMaterial trust)
    {
        // The certificates a signature carries can change how its chain is built: they are part of the key.
        var key = string.Join(',', candidates.Select(c => c.Thumbprint).Order(StringComparer.Ordinal).Prepend(certificate.Thumbprint));
        if (trust.Chains.TryGetValue(key, out var cached)) return cached;
        if (trust.Chains.Count >= MaxCachedChains) trust.Chains.Clear();

        using var builder = new X509Chain();
        var policy = builder.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trust.Anchors);
        policy.ExtraStore.AddRange(trust.Intermediates);
        policy.ExtraStore.AddRange(candidates);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested | X509VerificationFlags.IgnoreCtlNotTimeValid;

        builder.Build(certificate);
        var problems = builder.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status)
            & ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested | X509ChainStatusFlags.CtlNotTimeValid);
        var certificates = builder.ChainElements.Select(e => e.Certificate).ToArray();
        var chain = new CachedChain(problems, certificates, certificates.Select(c => new X509Certificate(c.RawData)).ToArray());
        trust.Chains[key] = chain;
        return chain;
    }

    private static DateTimeOffset? RevokedAt(X509Certificate2 subject, X509Certificate2 issuer, X509Certificate bcIssuer, TrustMaterial trust, DateTimeOffset at)
    {
        if (trust.Crls.Count == 0) return null;
        var serial = new BigInteger(1, subject.SerialNumberBytes.ToArray());
        foreach (var crl in trust.Crls)
        {
            if (!crl.IssuerDN.Equivalent(bcIssuer.SubjectDN)) continue;
            // Only a list signed by the issuer itself counts.
            if (!trust.CrlSignatureChecks.GetOrAdd((crl, issuer.Thumbprint), _ => SignedBy(crl, bcIssuer))) continue;
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
