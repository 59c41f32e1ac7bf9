using System.Security.Cryptography;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Approvals;

/// <summary>
/// Checks a chairman's signed decision: a live key of theirs, a fresh signing time, the current
/// dossier version, and an ECDSA P-256 signature over exactly that statement.
/// </summary>
public sealed class ApprovalVerifier(DeviceKeys keys, TimeProvider time)
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public Task<SignatureRecord> VerifyAsync(string userId, ApprovalSignature? signature, ApprovalStatement statement, CancellationToken cancellationToken) =>
        VerifyAsync(userId, signature, statement.Action, statement.Canonical(), cancellationToken);

    /// <summary>Checks a signature over any statement a phone signs (an approval, a direction): <paramref name="canonical"/> as UTF-8.</summary>
    public async Task<SignatureRecord> VerifyAsync(string userId, ApprovalSignature? signature, string action, string canonical, CancellationToken cancellationToken)
    {
        if (signature is null) throw SignatureRequired(action);
        if (string.IsNullOrEmpty(signature.KeyId) || signature.KeyId.Length > 64 || string.IsNullOrEmpty(signature.Value))
            throw BadRequest("signature", "Chữ ký cần keyId, signedAt và value.", "A signature needs keyId, signedAt and value.");
        var key = await keys.FindAsync(userId, signature.KeyId, cancellationToken);
        if (key is null || key.RevokedAt is not null) throw SignatureRefused("Khóa thiết bị không tồn tại hoặc đã bị thu hồi.", "The device key is unknown or revoked.");
        if ((time.GetUtcNow() - signature.SignedAt).Duration() > MaxClockSkew)
            throw SignatureRefused("Thời điểm ký lệch quá 5 phút so với máy chủ.", "The signing time is more than 5 minutes from the server's clock.");

        byte[] value;
        try
        {
            value = Convert.FromBase64String(signature.Value);
        }
        catch (FormatException)
        {
            throw SignatureRefused("Chữ ký không phải base64.", "The signature is not base64.");
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(key.PublicKey), out _);
        var bytes = System.Text.Encoding.UTF8.GetBytes(canonical);
        // Phones produce either the fixed-size r||s form (Web Crypto) or DER (Android, iOS).
        var valid = value.Length == 64
            ? ecdsa.VerifyData(bytes, value, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : ecdsa.VerifyData(bytes, value, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        if (!valid) throw SignatureRefused("Chữ ký không khớp với nội dung phê duyệt.", "The signature does not match the approval statement.");
        return new SignatureRecord(signature.KeyId, key.PublicKey, canonical, signature.Value);
    }
}
