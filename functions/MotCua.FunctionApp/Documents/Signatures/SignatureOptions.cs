namespace MotCua.FunctionApp.Documents.Signatures;

public sealed class SignatureOptions
{
    public const string Section = "Signatures";

    /// <summary>
    /// A folder with <c>anchors/</c> (trusted root certificates: the government CA and accredited
    /// providers), <c>intermediates/</c> and <c>crls/</c>. Files are DER or PEM.
    /// </summary>
    public string? TrustFolder { get; set; }

    /// <summary>A blob container laid out like <see cref="TrustFolder"/>, for deployments without a file share.</summary>
    public string? TrustContainer { get; set; }

    /// <summary>A detached or enveloping signature file larger than this is refused as malformed.</summary>
    public int MaxSignatureFileBytes { get; set; } = 1024 * 1024;
}
