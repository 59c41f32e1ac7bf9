using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Notifications;

public sealed record DeviceRegistration(string? Token, string? Platform, string? AppVersion, string? Locale);

public sealed record DeviceView(string Id, string Platform, string AppVersion, string Locale, DateTimeOffset UpdatedAt);

/// <summary>
/// The phones a user receives pushes on. A user may have several; a token registered by another
/// user (a shared phone, a new sign-in) leaves its former owner.
/// </summary>
public sealed class DeviceRegistry(MotCuaTables tables, TimeProvider time)
{
    public static string IdOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..32];

    public async Task<DeviceView> RegisterAsync(string userId, string token, string platform, string appVersion, string locale, CancellationToken cancellationToken)
    {
        var id = IdOf(token);
        var owner = await tables.Devices.GetEntityIfExistsAsync<DeviceEntity>(DeviceEntity.OwnerPartition, id, cancellationToken: cancellationToken);
        if (owner.HasValue && owner.Value!.UserId != userId)
            await tables.Devices.DeleteEntityAsync(owner.Value.UserId, id, ETag.All, cancellationToken);
        var now = time.GetUtcNow();
        var device = new DeviceEntity { PartitionKey = userId, RowKey = id, Token = token, Platform = platform, AppVersion = appVersion, Locale = locale, UserId = userId, UpdatedAt = now };
        await tables.Devices.UpsertEntityAsync(new DeviceEntity { PartitionKey = DeviceEntity.OwnerPartition, RowKey = id, UserId = userId, UpdatedAt = now },
            TableUpdateMode.Replace, cancellationToken);
        await tables.Devices.UpsertEntityAsync(device, TableUpdateMode.Replace, cancellationToken);
        return View(device);
    }

    public async Task<IReadOnlyList<DeviceEntity>> OfAsync(string userId, CancellationToken cancellationToken)
    {
        var devices = new List<DeviceEntity>();
        await foreach (var d in tables.Devices.QueryAsync<DeviceEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userId}"), cancellationToken: cancellationToken))
            devices.Add(d);
        return devices;
    }

    /// <summary>Removes a device; false when the user has no such device.</summary>
    public async Task<bool> RemoveAsync(string userId, string id, CancellationToken cancellationToken)
    {
        var row = await tables.Devices.GetEntityIfExistsAsync<DeviceEntity>(userId, id, cancellationToken: cancellationToken);
        if (!row.HasValue) return false;
        await tables.Devices.DeleteEntityAsync(userId, id, ETag.All, cancellationToken);
        var owner = await tables.Devices.GetEntityIfExistsAsync<DeviceEntity>(DeviceEntity.OwnerPartition, id, cancellationToken: cancellationToken);
        if (owner.HasValue && owner.Value!.UserId == userId) await tables.Devices.DeleteEntityAsync(DeviceEntity.OwnerPartition, id, owner.Value.ETag, cancellationToken);
        return true;
    }

    public static DeviceView View(DeviceEntity d) => new(d.RowKey, d.Platform, d.AppVersion, d.Locale, d.UpdatedAt);
}
