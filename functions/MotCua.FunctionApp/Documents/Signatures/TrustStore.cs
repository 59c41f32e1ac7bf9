using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.X509;

namespace MotCua.FunctionApp.Documents.Signatures;

/// <summary>
/// Trust anchors, intermediates and revocation lists, as loaded at one moment, with what has been
/// worked out from them: the caches go when the material is replaced.
/// </summary>
public sealed class TrustMaterial(X509Certificate2Collection anchors, X509Certificate2Collection intermediates, IReadOnlyList<X509Crl> crls)
{
    public X509Certificate2Collection Anchors { get; } = anchors;
    public X509Certificate2Collection Intermediates { get; } = intermediates;
    public IReadOnlyList<X509Crl> Crls { get; } = crls;

    internal ConcurrentDictionary<string, CertificateChains.CachedChain> Chains { get; } = new(StringComparer.Ordinal);
    internal ConcurrentDictionary<(X509Crl, string), bool> CrlSignatureChecks { get; } = new();
}

/// <summary>
/// Loads trust material from the configured folder and container, and keeps it for a while:
/// verification never reaches the network, and revocation is judged from these cached lists.
/// </summary>
public sealed class TrustStore(IOptions<SignatureOptions> options, BlobServiceClient blobs, TimeProvider time, ILogger<TrustStore> logger)
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(10);
    private readonly SemaphoreSlim _loading = new(1, 1);
    private (TrustMaterial Material, DateTimeOffset LoadedAt)? _current;

    public async ValueTask<TrustMaterial> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && time.GetUtcNow() - current.LoadedAt < RefreshAfter) return current.Material;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } again && time.GetUtcNow() - again.LoadedAt < RefreshAfter) return again.Material;
            var material = await LoadAsync(cancellationToken);
            _current = (material, time.GetUtcNow());
            SignatureLog.TrustLoaded(logger, material.Anchors.Count, material.Intermediates.Count, material.Crls.Count);
            return material;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Forgets what was loaded, so the next verification reads the folder again.</summary>
    public void Invalidate() => _current = null;

    private async Task<TrustMaterial> LoadAsync(CancellationToken cancellationToken)
    {
        var files = new List<(string Kind, byte[] Bytes)>();
        if (options.Value.TrustFolder is { Length: > 0 } folder && Directory.Exists(folder))
        {
            foreach (var kind in Kinds)
            {
                var dir = Path.Combine(folder, kind);
                if (!Directory.Exists(dir)) continue;
                foreach (var file in Directory.EnumerateFiles(dir)) files.Add((kind, await File.ReadAllBytesAsync(file, cancellationToken)));
            }
        }
        if (options.Value.TrustContainer is { Length: > 0 } containerName)
        {
            var container = blobs.GetBlobContainerClient(containerName);
            if (await container.ExistsAsync(cancellationToken))
            {
                await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken))
                {
                    var kind = blob.Name.Split('/')[0];
                    if (!Kinds.Contains(kind) || blob.Properties.ContentLength > 1024 * 1024) continue;
                    files.Add((kind, (await container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken)).Value.Content.ToArray()));
                }
            }
        }

        X509Certificate2Collection anchors = [], intermediates = [];
        var crls = new List<X509Crl>();
        foreach (var (kind, bytes) in files)
        {
            try
            {
                switch (kind)
                {
                    case "anchors": anchors.Add(X509CertificateLoader.LoadCertificate(bytes)); break;
                    case "intermediates": intermediates.Add(X509CertificateLoader.LoadCertificate(bytes)); break;
                    case "crls": crls.AddRange(new X509CrlParser().ReadCrls(bytes)); break;
                }
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or ArgumentException or Org.BouncyCastle.Security.Certificates.CrlException)
            {
                SignatureLog.TrustFileUnreadable(logger, kind, e);
            }
        }
        return new TrustMaterial(anchors, intermediates, crls);
    }

    private static readonly string[] Kinds = ["anchors", "intermediates", "crls"];
}

internal static partial class SignatureLog
{
    [LoggerMessage(1, LogLevel.Information, "Trust material loaded: {Anchors} anchors, {Intermediates} intermediates, {Crls} revocation lists")]
    public static partial void TrustLoaded(ILogger logger, int anchors, int intermediates, int crls);

    [LoggerMessage(2, LogLevel.Warning, "A trust file in {Kind} could not be read")]
    public static partial void TrustFileUnreadable(ILogger logger, string kind, Exception exception);
}
