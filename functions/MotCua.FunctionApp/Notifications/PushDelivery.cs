using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// One notification to each of a user's phones, once per phone. A record of the push is written
/// before FCM is asked, so a repeated notification or a retried step finds it and sends nothing
/// again; a push that could not be delivered removes its record, so the retry sends it. The record
/// says <c>sent</c> from the start: only an answer other than success rewrites it, so a delivered
/// push costs one write.
/// </summary>
public sealed class PushDelivery(FcmSender sender, DeviceRegistry devices, MotCuaTables tables, ILogger<PushDelivery> logger)
{
    public const string Delivered = "sent";

    public bool Enabled => sender.Enabled;

    /// <summary>Pushes to <paramref name="phones"/> (the user's, as just read); throws when some could not be reached, for a retry.</summary>
    public async Task DeliverAsync(PushRequest push, IReadOnlyList<DeviceEntity> phones, CancellationToken cancellationToken)
    {
        if (!sender.Enabled) return;
        var notificationId = push.Content.NotificationId;
        var unavailable = 0;
        await Parallel.ForEachAsync(phones, cancellationToken, async (device, ct) =>
        {
            var record = new PushEntity { PartitionKey = $"{push.UserId}|{notificationId}", RowKey = device.RowKey, State = Delivered };
            try
            {
                await tables.Pushes.AddEntityAsync(record, ct);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return; // sent already, or being sent
            }

            PushResult result;
            try
            {
                result = await sender.SendAsync(PushPayload.Message(device.Token, push.Content), ct);
            }
            catch
            {
                // Not sent: the record goes, so the retry sends it.
                await tables.Pushes.DeleteEntityAsync(record.PartitionKey, record.RowKey, ETag.All, CancellationToken.None);
                throw;
            }
            PushLog.Pushed(logger, notificationId, device.RowKey, result.Outcome);
            switch (result.Outcome)
            {
                case PushOutcome.Sent:
                    return;
                case PushOutcome.Unavailable:
                    await tables.Pushes.DeleteEntityAsync(record.PartitionKey, record.RowKey, ETag.All, CancellationToken.None);
                    Interlocked.Increment(ref unavailable);
                    return;
                case PushOutcome.TokenRejected:
                    await devices.RemoveAsync(push.UserId, device.RowKey, ct);
                    break;
            }
            record.State = $"{result.Outcome}:{result.Code}".ToLowerInvariant();
            await tables.Pushes.UpsertEntityAsync(record, TableUpdateMode.Replace, ct);
        });
        // FCM stayed unavailable: the caller's retry pushes what is still unsent.
        if (unavailable > 0) throw new InvalidOperationException($"FCM unavailable for {unavailable} devices.");
    }
}
