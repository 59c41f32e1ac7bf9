namespace MotCua.Signing;

/// <summary>A document that cannot be signed as asked, or a signature that cannot be completed.</summary>
/// <param name="Reason">A stable, kebab-case reason callers map to a problem type.</param>
public sealed class PdfSigningException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Reason { get; } = reason;
}
