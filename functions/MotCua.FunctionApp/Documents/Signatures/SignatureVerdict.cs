namespace MotCua.FunctionApp.Documents.Signatures;

/// <summary>What one signature, or a whole document, proves. Ordered from best to worst.</summary>
public enum SignatureVerdict
{
    Valid,

    /// <summary>The document is not signed at all.</summary>
    Unsigned,

    /// <summary>The signature is sound but its chain does not reach a configured trust anchor.</summary>
    UntrustedChain,

    /// <summary>The certificate had expired at signing time (the timestamp's, when there is one).</summary>
    Expired,

    /// <summary>The certificate was not yet valid at signing time.</summary>
    NotYetValid,

    /// <summary>A certificate of the chain is on its issuer's revocation list.</summary>
    Revoked,

    /// <summary>The signature is valid for the bytes it covers, but content was appended after it.</summary>
    ModifiedAfterSigning,

    /// <summary>The signed bytes or the signature do not match: altered, or signed with another key.</summary>
    Invalid,

    /// <summary>The signature or the file cannot be read.</summary>
    Malformed,
}

public static class SignatureVerdicts
{
    public static string Slug(this SignatureVerdict verdict) => verdict switch
    {
        SignatureVerdict.Valid => "valid",
        SignatureVerdict.Unsigned => "unsigned",
        SignatureVerdict.UntrustedChain => "untrusted-chain",
        SignatureVerdict.Expired => "certificate-expired",
        SignatureVerdict.NotYetValid => "certificate-not-yet-valid",
        SignatureVerdict.Revoked => "certificate-revoked",
        SignatureVerdict.ModifiedAfterSigning => "modified-after-signing",
        SignatureVerdict.Invalid => "invalid",
        SignatureVerdict.Malformed => "malformed",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static string Vietnamese(this SignatureVerdict verdict) => verdict switch
    {
        SignatureVerdict.Valid => "Chữ ký số hợp lệ",
        SignatureVerdict.Unsigned => "Không có chữ ký số",
        SignatureVerdict.UntrustedChain => "Chứng thư số không thuộc tổ chức cung cấp dịch vụ chứng thực được tin cậy",
        SignatureVerdict.Expired => "Chứng thư số đã hết hạn tại thời điểm ký",
        SignatureVerdict.NotYetValid => "Chứng thư số chưa có hiệu lực tại thời điểm ký",
        SignatureVerdict.Revoked => "Chứng thư số đã bị thu hồi",
        SignatureVerdict.ModifiedAfterSigning => "Tài liệu bị thay đổi sau khi ký",
        SignatureVerdict.Invalid => "Chữ ký số không hợp lệ",
        SignatureVerdict.Malformed => "Chữ ký số hoặc tệp bị lỗi cấu trúc",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static SignatureVerdict FromSlug(string? slug) =>
        Enum.GetValues<SignatureVerdict>().FirstOrDefault(v => v.Slug() == slug, SignatureVerdict.Unsigned);

    /// <summary>A document is as good as its worst signature.</summary>
    public static SignatureVerdict Worst(IEnumerable<SignatureVerdict> verdicts) =>
        verdicts.DefaultIfEmpty(SignatureVerdict.Unsigned).Max();
}
