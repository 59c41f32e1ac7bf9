using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Notifications;

public sealed record DeviceRegistration(string? Token, string? Platform, string? AppVersion, string? Locale);

public sealed record DeviceView(string Id, string Platform, string AppVersion, string Locale, DateTimeOffset UpdatedAt);

/// <summary>
/// The phones a user receives pushes on (at most <see cref="MaxDevicesPerUser"/>; the oldest goes).
/// A token belongs to one user at a time: the owner row is claimed under its ETag, so of two users
/// registering the same token at once, one ends up with it and the other's row is gone.
/// </summary>
public sealed class DeviceRegistry(MotCuaTables tables, TimeProvider time)
{
    public const int MaxDevicesPerUser = 10;

    public static string IdOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..32];

    /// <summary>Users' partitions are prefixed, so no user id can be mistaken for the owner index.</summary>
    private static string UserPartition(string userId) => "u:" + userId;

    public async Task<DeviceView> RegisterAsync(string userId, string token, string platform, string appVersion, string locale, CancellationToken cancellationToken)
    {
        var id = IdOf(token);
        var now = time.GetUtcNow();
        await ClaimAsync(id, userId, now, cancellationToken);
        var device = new DeviceEntity { PartitionKey = UserPartition(userId), RowKey = id, Token = token, Platform = platform, AppVersion = appVersion, Locale = locale, UserId = userId, UpdatedAt = now };
        await tables.Devices.UpsertEntityAsync(device, TableUpdateMode.Replace, cancellationToken);

        var all = await OfAsync(userId, cancellationToken);
        foreach (var old in all.OrderByDescending(d => d.UpdatedAt).Skip(MaxDevicesPerUser)) await RemoveAsync(userId, old.RowKey, cancellationToken);
        return View(device);
    }

    private async Task ClaimAsync(string id, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claim = new DeviceEntity { PartitionKey = DeviceEntity.OwnerPartition, RowKey = id, UserId = userId, UpdatedAt = now };
        for (var attempt = 1; ; attempt++)
        {
            var owner = await tables.Devices.GetEntityIfExistsAsync<DeviceEntity>(DeviceEntity.OwnerPartition, id, cancellationToken: cancellationToken);
            try
            {
                if (!owner.HasValue)
                {
                    await tables.Devices.AddEntityAsync(claim, cancellationToken);
                    return;
                }
                var previous = owner.Value!;
                await tables.Devices.UpdateEntityAsync(claim, previous.ETag, TableUpdateMode.Replace, cancellationToken);
                if (previous.UserId != userId)
                {
                    var theirs = await tables.Devices.GetEntityIfExistsAsync<DeviceEntity>(UserPartition(previous.UserId), id, cancellationToken: cancellationToken);
                    if (theirs.HasValue) await tables.Devices.DeleteEntityAsync(UserPartition(previous.UserId), id, ETag.All, cancellationToken);
                }
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < 5)
            {
                // Someone else claimed it between our read and our write: read again.
            }
        }
    }

    public async Task<IReadOnlyList<DeviceEntity>> OfAsync(string userId, CancellationToken cancellationToken)
    {
        var devices = new List<DeviceEntity>();
        await foreach (var d in tables.Devices.QueryAsync<DeviceEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {UserPartition(userId)}"), cancellationToken: cancellationToken))
            devices.Add(d);
        return devices;
    }

    /// <summary>Removes a device; false when the user has no such device.</summary>
    public async Task<bool> RemoveAsync(string userId, string id, CancellationToken cancellationToken)
    {
        var row = await tables.Devices.GetEntityIfExistsAsync<DeviceEntity>(UserPartition(userId), id, cancellationToken: cancellationToken);
        if (!row.HasValue) return false;
        await tables.Devices.DeleteEntityAsync(UserPartition(userId), id, ETag.All, cancellationToken);
        var owner = await tables.Devices.GetEntityIfExistsAsync<DeviceEntity>(DeviceEntity.OwnerPartition, id, cancellationToken: cancellationToken);
        if (owner.HasValue && owner.Value!.UserId == userId)
        {
            try
            {
                await tables.Devices.DeleteEntityAsync(DeviceEntity.OwnerPartition, id, owner.Value.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Claimed by someone else meanwhile: theirs now.
            }
        }
        return true;
    }

    public static DeviceView View(DeviceEntity d) => new(d.RowKey, d.Platform, d.AppVersion, d.Locale, d.UpdatedAt);
}
