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
    DateTimeOffset? SigningTime,
    DateTimeOffset? TimestampTime,
    bool CoversWholeFile,
    long? CoveredBytes);

/// <summary>A document's verdict: the worst of its signatures, or unsigned, or malformed.</summary>
public sealed record DocumentSignatures(SignatureVerdict Verdict, IReadOnlyList<SignatureReport> Signatures, string? Reason = null)
{
    public static DocumentSignatures Unsigned { get; } = new(SignatureVerdict.Unsigned, []);

    public static DocumentSignatures Malformed(string reason) => new(SignatureVerdict.Malformed, [], reason);
}
