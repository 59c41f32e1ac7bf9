using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Signing;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Approvals;

/// <summary>A phone key's certificate and the issuers between it and its trust anchor, as signatures embed them.</summary>
public sealed record DeviceCertificate(X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Issuers);

/// <summary>
/// The certificate a phone key is registered with: it must be for that very key, chain to a
/// configured trust anchor, be valid now and not revoked. Where the local demo's authority is
/// configured, a key registered without a certificate gets one from it.
/// </summary>
public sealed class DeviceCertificates(TrustStore trust, DemoAuthority demo, TimeProvider time, ILogger<DeviceCertificates> logger)
{
    /// <summary>A PEM bundle of a few certificates fits; more is not a phone key's certificate.</summary>
    public const int MaxCertificates = 5;

    public async Task<DeviceCertificate> ForKeyAsync(CurrentUser user, byte[] subjectPublicKeyInfo, string? certificate, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(certificate))
        {
            if (!demo.IsConfigured)
                throw BadRequest("certificate", "Cần chứng thư số X.509 của khóa (base64 DER hoặc PEM) do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp.",
                    "The key's X.509 certificate (base64 DER or PEM), issued by a trusted certification authority, is required.");
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
            var issued = demo.IssueFor(user.Name, user.Id, new PublicKey(key));
            SigningLog.DemoCertificateIssued(logger, Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..32], user.Id);
            return new DeviceCertificate(issued, []);
        }

        var certificates = Parse(certificate);
        var leaf = certificates[0];
        if (!leaf.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(subjectPublicKeyInfo) && !SameEcKey(leaf, subjectPublicKeyInfo))
            throw DeviceCertificateRefused("Chứng thư số được cấp cho một khóa khác, không phải khóa công khai đang đăng ký.",
                "The certificate is for another key, not the public key being registered.");
        if (leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage
            && (usage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0)
            throw DeviceCertificateRefused("Chứng thư số không cho phép ký số (thiếu digitalSignature/nonRepudiation).",
                "The certificate does not allow signing (no digitalSignature or nonRepudiation key usage).");

        var material = await trust.CurrentAsync(cancellationToken);
        var now = time.GetUtcNow();
        var candidates = new X509Certificate2Collection(certificates[1..]);
        var (verdict, _) = CertificateChains.Check(leaf, candidates, material, now, now);
        return verdict switch
        {
            SignatureVerdict.Valid => new DeviceCertificate(leaf, CertificateChains.IssuersBelowAnchor(leaf, candidates, material)),
            SignatureVerdict.Expired => throw DeviceCertificateRefused(
                "Chứng thư số (hoặc chứng thư của tổ chức cấp) đã hết hạn.", "The certificate, or one of its issuers', has expired."),
            SignatureVerdict.NotYetValid => throw DeviceCertificateRefused(
                "Chứng thư số chưa có hiệu lực.", "The certificate is not valid yet."),
            SignatureVerdict.Revoked => throw DeviceCertificateRefused(
                "Chứng thư số đã bị thu hồi.", "The certificate has been revoked."),
            _ => throw DeviceCertificateRefused(
                "Chứng thư số không do tổ chức chứng thực được tin cậy cấp.", "The certificate is not issued by a trusted certification authority."),
        };
    }

    // Base64 DER of one certificate, or PEM with the certificate first and its issuers after it.
    private static X509Certificate2[] Parse(string text)
    {
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                var all = new X509Certificate2Collection();
                all.ImportFromPem(text);
                if (all.Count is > 0 and <= MaxCertificates) return [.. all];
            }
            else
            {
                return [X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text))];
            }
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            // Answered below, the same for every unreadable form.
        }
        throw BadRequest("certificate", "Chứng thư số phải là một chứng thư X.509: base64 của DER, hoặc PEM (chứng thư của khóa đứng đầu).",
            "The certificate must be an X.509 certificate: base64 DER, or PEM with the key's certificate first.");
    }

    // The same P-256 point written compressed in one place and uncompressed in the other is the same key.
    private static bool SameEcKey(X509Certificate2 certificate, byte[] subjectPublicKeyInfo)
    {
        using var fromCertificate = certificate.GetECDsaPublicKey();
        if (fromCertificate is null) return false;
        using var registered = ECDsa.Create();
        registered.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        var a = fromCertificate.ExportParameters(false);
        var b = registered.ExportParameters(false);
        return a.Curve.Oid.Value == b.Curve.Oid.Value && a.Q.X.AsSpan().SequenceEqual(b.Q.X) && a.Q.Y.AsSpan().SequenceEqual(b.Q.Y);
    }
}
