using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Approvals;

/// <summary>A phone's public key, registered by its owner, that signs their approvals.</summary>
public sealed class DeviceKeyEntity : ITableEntity
{
    /// <summary>The owner's user id.</summary>
    public string PartitionKey { get; set; } = default!;

    /// <summary>The key id.</summary>
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string DeviceName { get; set; } = default!;
    public string PublicKey { get; set; } = default!;
    public DateTimeOffset RegisteredAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The key's X.509 certificate, base64 DER; absent for keys registered before certificates were asked for.</summary>
    public string? Certificate { get; set; }

    /// <summary>The issuers between the certificate and its trust anchor, nearest first: base64 DER, comma-separated.</summary>
    public string? CertificateIssuers { get; set; }

    public X509Certificate2? LoadCertificate() => Certificate is null ? null : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Certificate));

    public IReadOnlyList<X509Certificate2> LoadCertificateIssuers() => string.IsNullOrEmpty(CertificateIssuers)
        ? []
        : [.. CertificateIssuers.Split(',').Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c)))];
}

/// <summary>The certificate a device key is registered with, as the owner sees it.</summary>
public sealed record DeviceCertificateView(string Subject, string Issuer, string SerialNumber, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

public sealed record DeviceKeyView(string KeyId, string DeviceName, DateTimeOffset RegisteredAt, DateTimeOffset? RevokedAt, DeviceCertificateView? Certificate);

/// <summary>Device keys: ECDSA P-256 public keys (SubjectPublicKeyInfo, base64) with their certificates, never private keys.</summary>
public sealed class DeviceKeys(MotCuaTables tables, TimeProvider time)
{
    public static string KeyIdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..32];

    public async Task<DeviceKeyView> RegisterAsync(string userId, string deviceName, byte[] subjectPublicKeyInfo, DeviceCertificate certificate,
        CancellationToken cancellationToken)
    {
        var entity = new DeviceKeyEntity
        {
            PartitionKey = userId,
            RowKey = KeyIdOf(subjectPublicKeyInfo),
            DeviceName = deviceName,
            PublicKey = Convert.ToBase64String(subjectPublicKeyInfo),
            RegisteredAt = time.GetUtcNow(),
            Certificate = Convert.ToBase64String(certificate.Certificate.RawData),
            CertificateIssuers = certificate.Issuers.Count == 0 ? null : string.Join(',', certificate.Issuers.Select(c => Convert.ToBase64String(c.RawData))),
        };
        try
        {
            await tables.DeviceKeys.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The same key registered again is the same registration; one registered before certificates were asked for gains this one.
            var existing = (await tables.DeviceKeys.GetEntityAsync<DeviceKeyEntity>(userId, entity.RowKey, cancellationToken: cancellationToken)).Value;
            if (existing.Certificate is null && existing.RevokedAt is null)
            {
                existing.Certificate = entity.Certificate;
                existing.CertificateIssuers = entity.CertificateIssuers;
                await tables.DeviceKeys.UpdateEntityAsync(existing, existing.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            entity = existing;
        }
        return View(entity);
    }

    public async Task<IReadOnlyList<DeviceKeyView>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var keys = new List<DeviceKeyView>();
        await foreach (var k in tables.DeviceKeys.QueryAsync<DeviceKeyEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userId}"), cancellationToken: cancellationToken))
            keys.Add(View(k));
        return keys;
    }

    /// <summary>Revokes the key; false when the user has no such key.</summary>
    public async Task<bool> RevokeAsync(string userId, string keyId, CancellationToken cancellationToken)
    {
        var row = await tables.DeviceKeys.GetEntityIfExistsAsync<DeviceKeyEntity>(userId, keyId, cancellationToken: cancellationToken);
        if (!row.HasValue) return false;
        if (row.Value!.RevokedAt is null)
        {
            row.Value.RevokedAt = time.GetUtcNow();
            await tables.DeviceKeys.UpdateEntityAsync(row.Value, row.Value.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        return true;
    }

    public async Task<DeviceKeyEntity?> FindAsync(string userId, string keyId, CancellationToken cancellationToken)
    {
        var row = await tables.DeviceKeys.GetEntityIfExistsAsync<DeviceKeyEntity>(userId, keyId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    private static DeviceKeyView View(DeviceKeyEntity e)
    {
        using var certificate = e.LoadCertificate();
        return new(e.RowKey, e.DeviceName, e.RegisteredAt, e.RevokedAt, certificate is null ? null : new DeviceCertificateView(
            certificate.Subject, certificate.Issuer, certificate.SerialNumber,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), new DateTimeOffset(certificate.NotAfter.ToUniversalTime())));
    }
}
