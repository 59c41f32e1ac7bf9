using System.ComponentModel.DataAnnotations;

namespace MotCua.FunctionApp.Signing;

/// <summary>
/// Where the agency's seal key comes from: a PKCS#12 file (locally, or a mounted secret), or a
/// Key Vault certificate whose key is exportable. Neither: the app seals nothing.
/// </summary>
public sealed class SealKeyOptions : IValidatableObject
{
    public const string Section = "Signing:Seal";

    public string? Pkcs12Path { get; set; }

    public string? Pkcs12Password { get; set; }

    /// <summary>The vault, e.g. https://motcua-kv.vault.azure.net/; read with the app's managed identity.</summary>
    public Uri? KeyVaultUri { get; set; }

    /// <summary>The certificate's name in the vault; its secret of the same name holds the PFX.</summary>
    public string? CertificateName { get; set; }

    /// <summary>How long a key read from Key Vault is used before it is read again, so a renewed certificate is taken up.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan RefreshAfter { get; set; } = TimeSpan.FromHours(1);

    public bool FromFile => !string.IsNullOrEmpty(Pkcs12Path);

    public bool FromKeyVault => KeyVaultUri is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FromFile && FromKeyVault)
            yield return new($"{Section}: set either Pkcs12Path or KeyVaultUri, not both.", [nameof(Pkcs12Path), nameof(KeyVaultUri)]);
        if (FromKeyVault && string.IsNullOrEmpty(CertificateName))
            yield return new($"{Section}:CertificateName is required with KeyVaultUri.", [nameof(CertificateName)]);
        if (KeyVaultUri is { } uri && uri.Scheme != Uri.UriSchemeHttps)
            yield return new($"{Section}:KeyVaultUri must be https.", [nameof(KeyVaultUri)]);
        if (!FromKeyVault && !string.IsNullOrEmpty(CertificateName))
            yield return new($"{Section}:CertificateName needs KeyVaultUri.", [nameof(KeyVaultUri)]);
    }
}
