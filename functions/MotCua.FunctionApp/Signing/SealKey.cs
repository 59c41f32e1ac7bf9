using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;
using MotCua.Signing;
using MotCua.Signing.Keys;

namespace MotCua.FunctionApp.Signing;

/// <summary>
/// The agency's seal as a signer, loaded on first use from the configured PKCS#12 file or Key Vault
/// certificate and kept in memory (a Key Vault key is read again after a while, to follow renewals).
/// The key never touches the disk: it is imported ephemeral, and the bytes it came in are wiped.
/// </summary>
public sealed class SealKey(IOptions<SealKeyOptions> options, IServiceProvider services, TimeProvider time, ILogger<SealKey> logger)
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private (CertificateHashSigner Signer, DateTimeOffset LoadedAt)? _current;

    public bool IsConfigured => options.Value.FromFile || options.Value.FromKeyVault;

    public async ValueTask<IHashSigner> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } signer) return signer;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } again) return again;
            var loaded = options.Value.FromFile ? await FromFileAsync(cancellationToken)
                : options.Value.FromKeyVault ? await FromKeyVaultAsync(cancellationToken)
                : throw new SigningKeyException($"No seal key is configured ({SealKeyOptions.Section}).");
            // The previous key may still be signing for a request in flight: it is left to the collector, not disposed.
            _current = (loaded, time.GetUtcNow());
            SigningLog.SealLoaded(logger, loaded.Certificate.Subject, loaded.Certificate.Thumbprint, loaded.Certificate.NotAfter);
            return loaded;
        }
        finally
        {
            _loading.Release();
        }
    }

    private CertificateHashSigner? Fresh() =>
        _current is { } current && (options.Value.FromFile || time.GetUtcNow() - current.LoadedAt < options.Value.RefreshAfter) ? current.Signer : null;

    private async Task<CertificateHashSigner> FromFileAsync(CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(options.Value.Pkcs12Path!, cancellationToken);
        try
        {
            return Pkcs12Keys.Load(bytes, options.Value.Pkcs12Password);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private async Task<CertificateHashSigner> FromKeyVaultAsync(CancellationToken cancellationToken)
    {
        var client = services.GetRequiredService<SecretClient>();
        KeyVaultSecret secret;
        try
        {
            secret = (await client.GetSecretAsync(options.Value.CertificateName, cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e)
        {
            throw new SigningKeyException($"The seal certificate '{options.Value.CertificateName}' cannot be read from {options.Value.KeyVaultUri} (HTTP {e.Status}).", e);
        }
        return KeyVaultCertificates.SignerOf(secret);
    }
}

/// <summary>
/// A Key Vault certificate's key as its secret gives it: a base64 PFX without password
/// (application/x-pkcs12) or PEM with the key and certificates (application/x-pem-file).
/// </summary>
public static class KeyVaultCertificates
{
    public const string Pkcs12ContentType = "application/x-pkcs12";
    public const string PemContentType = "application/x-pem-file";

    public static CertificateHashSigner SignerOf(KeyVaultSecret secret)
    {
        switch (secret.Properties.ContentType)
        {
            case Pkcs12ContentType:
                var bytes = Convert.FromBase64String(secret.Value);
                try
                {
                    return Pkcs12Keys.Load(bytes, null);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(bytes);
                }
            case PemContentType:
                var leaf = X509Certificate2.CreateFromPem(secret.Value, secret.Value);
                var all = new X509Certificate2Collection();
                all.ImportFromPem(secret.Value);
                var chain = Pkcs12Keys.ChainOf(leaf, [.. all]);
                foreach (var unused in all.Where(c => !chain.Contains(c))) unused.Dispose();
                return new CertificateHashSigner(leaf, chain);
            default:
                throw new SigningKeyException($"The secret '{secret.Name}' is {secret.Properties.ContentType ?? "untyped"}, not a certificate with an exportable key.");
        }
    }
}

internal static partial class SigningLog
{
    [LoggerMessage(1, LogLevel.Information, "Seal key loaded: {Subject} ({Thumbprint}), valid until {NotAfter}")]
    public static partial void SealLoaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(2, LogLevel.Information, "A certificate was issued by the demo authority for the device key {KeyId} of {UserId}")]
    public static partial void DemoCertificateIssued(ILogger logger, string keyId, string userId);
}
