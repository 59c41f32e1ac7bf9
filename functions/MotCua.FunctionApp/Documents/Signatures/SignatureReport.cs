using System.ComponentModel;

namespace MotCua.FunctionApp.Documents.Signatures;

/// <summary>One signature's verdict and the facts it rests on, as shown to officials.</summary>
public sealed record SignatureReport(
    string Verdict,
    string VerdictText,
    string? Reason,
    string? SubFilter,
    string? Signer,
    string? Issuer,
    string? SerialNumber,
    [property: Description("The signing time the signer claims (the CMS signingTime attribute, else the PDF signature dictionary's /M). "
        + "Never trusted: only a trusted RFC 3161 timestamp (timestampTime) fixes when the signature was made.")]
    DateTimeOffset? SigningTime,
    [property: Description("The time of a trusted RFC 3161 timestamp over the signature; the certificate's validity and revocation are judged at this time.")]
    DateTimeOffset? TimestampTime,
    bool CoversWholeFile,
    long? CoveredBytes,
    [property: Description("True when the verdict is valid only because a trusted timestamp proves the signature was made while the certificate was "
        + "still good: judged now, the certificate would be expired or revoked.")]
    bool ValidByTimestamp = false,
    [property: Description("When the signer's certificate expired, if it has: set beside a valid verdict that rests on a timestamp (validByTimestamp).")]
    DateTimeOffset? CertificateExpiredSince = null);

/// <summary>A document's verdict: the worst of its signatures, or unsigned, or malformed.</summary>
/// <param name="Reason">Why the document as a whole has its verdict, when no single signature explains it (a truncated file, a detached signature without its content).</param>
public sealed record DocumentSignatures(SignatureVerdict Verdict, IReadOnlyList<SignatureReport> Signatures, string? Reason = null)
{
    public static DocumentSignatures Unsigned { get; } = new(SignatureVerdict.Unsigned, []);

    public static DocumentSignatures Malformed(string reason) => new(SignatureVerdict.Malformed, [], reason);
}
