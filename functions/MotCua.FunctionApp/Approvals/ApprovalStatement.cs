using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MotCua.FunctionApp.Approvals;

/// <summary>What the approver's phone signs. The version makes every statement single-use.</summary>
public sealed record ApprovalStatement(string DossierCode, string Action, int Version, DateTimeOffset SignedAt, string Comment)
{
    /// <summary>The exact bytes signed: one field a line, UTF-8, times in UTC to the second.</summary>
    public string Canonical() => string.Join('\n',
        "MOTCUA-APPROVAL-V1",
        $"code:{DossierCode}",
        $"action:{Action}",
        $"version:{Version.ToString(CultureInfo.InvariantCulture)}",
        $"signed-at:{SignedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}",
        $"comment-sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Comment)))}");

    public byte[] Bytes() => Encoding.UTF8.GetBytes(Canonical());
}

/// <summary>The signature a phone sends with a chairman's decision.</summary>
public sealed record ApprovalSignature(string KeyId, DateTimeOffset SignedAt, string Value);

/// <summary>What the history keeps, so the approval can be proven later with the registered key.</summary>
public sealed record SignatureRecord(string KeyId, string PublicKey, string Statement, string Signature);
