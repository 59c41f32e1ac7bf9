using System.Security.Cryptography.X509Certificates;
using MotCua.FunctionApp.Approvals;
using MotCua.FunctionApp.Issuance;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Signing;

/// <summary>The certificate a person's phone key signs PDFs with: registered, not revoked, valid now.</summary>
public sealed class PhoneKeyCertificates(DeviceKeys keys, TimeProvider time)
{
    public async Task<(X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Issuers)> CurrentAsync(string userId, string keyId, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(userId, keyId, cancellationToken);
        if (key is null || key.RevokedAt is not null) throw SignatureRefused("Khóa thiết bị không tồn tại hoặc đã bị thu hồi.", "The device key is unknown or revoked.");
        var certificate = key.LoadCertificate() ?? throw ResultProblems.CertificateRequired();
        var now = time.GetUtcNow();
        if (now < certificate.NotBefore || now > certificate.NotAfter)
            throw SignatureRefused("Chứng thư số của khóa thiết bị đã hết hạn hoặc chưa có hiệu lực.", "The device key's certificate has expired or is not yet valid.");
        return (certificate, key.LoadCertificateIssuers());
    }

    public static bool IsKeyId(string? keyId) => !string.IsNullOrEmpty(keyId) && keyId.Length <= 64 && keyId.All(char.IsAsciiHexDigitLower);
}
