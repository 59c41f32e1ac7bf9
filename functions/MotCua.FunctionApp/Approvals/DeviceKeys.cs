using System.Security.Cryptography;
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

    /// <summary>The key's X.509 certificate (DER, base64): a PAdES signature by the phone names it.</summary>
    public string? Certificate { get; set; }
}

public sealed record DeviceKeyView(string KeyId, string DeviceName, DateTimeOffset RegisteredAt, DateTimeOffset? RevokedAt);

/// <summary>Device keys: ECDSA P-256 public keys (SubjectPublicKeyInfo, base64), never private ones.</summary>
public sealed class DeviceKeys(MotCuaTables tables, TimeProvider time)
{
    public async Task<DeviceKeyView> RegisterAsync(string userId, string deviceName, byte[] subjectPublicKeyInfo, CancellationToken cancellationToken)
    {
        var entity = new DeviceKeyEntity
        {
            PartitionKey = userId,
            RowKey = Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..32],
            DeviceName = deviceName,
            PublicKey = Convert.ToBase64String(subjectPublicKeyInfo),
            RegisteredAt = time.GetUtcNow(),
        };
        try
        {
            await tables.DeviceKeys.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The same key registered again is the same registration.
            entity = (await tables.DeviceKeys.GetEntityAsync<DeviceKeyEntity>(userId, entity.RowKey, cancellationToken: cancellationToken)).Value;
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

    private static DeviceKeyView View(DeviceKeyEntity e) => new(e.RowKey, e.DeviceName, e.RegisteredAt, e.RevokedAt);
}
