using System.ComponentModel.DataAnnotations;

namespace MotCua.FunctionApp.Auth;

/// <summary>
/// Production validates tokens of the configured <see cref="Authority"/>. Local development signs
/// its own tokens for demo users with <see cref="LocalSigningKey"/>.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    [Required]
    public string Issuer { get; set; } = "motcua-local";

    [Required]
    public string Audience { get; set; } = "motcua";

    public string? Authority { get; set; }

    /// <summary>Base64, at least 32 bytes.</summary>
    public string? LocalSigningKey { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Authority) && LocalKeyBytes() is not { Length: >= 32 })
        {
            yield return new ValidationResult(
                "Set Auth:Authority (an external issuer) or Auth:LocalSigningKey (base64, 32+ bytes, for local tokens).",
                [nameof(Authority), nameof(LocalSigningKey)]);
        }
    }

    public byte[]? LocalKeyBytes()
    {
        if (string.IsNullOrEmpty(LocalSigningKey)) return null;
        var buffer = new byte[LocalSigningKey.Length];
        return Convert.TryFromBase64String(LocalSigningKey, buffer, out var written) ? buffer[..written] : null;
    }
}
