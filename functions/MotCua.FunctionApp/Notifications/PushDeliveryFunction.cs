using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// Queue step: one notification to each of the user's phones, once per phone. A record of the push
/// is written before FCM is asked, so a redelivered message or a retried step finds it and sends
/// nothing again; a push that could not be delivered removes its record, so the retry sends it.
/// </summary>
public sealed class PushDeliveryFunction(FcmSender sender, DeviceRegistry devices, MotCuaTables tables, ILogger<PushDeliveryFunction> logger)
    : IQueueHandler<PushRequest>
{
    public const string Sending = "sending";
    public const string Delivered = "sent";

    public static readonly FunctionDeclaration Declaration = new("DeliverPush", new QueueTrigger(QueueNames.PushDeliveries));

    public async Task HandleAsync(QueueMessage<PushRequest> message, CancellationToken cancellationToken)
    {
        var push = message.Body;
        if (!sender.Enabled) return;
        var notificationId = push.Content.NotificationId;

        var unavailable = 0;
        await Parallel.ForEachAsync(await devices.OfAsync(push.UserId, cancellationToken), cancellationToken, async (device, ct) =>
        {
            var record = new PushEntity { PartitionKey = $"{push.UserId}|{notificationId}", RowKey = device.RowKey, State = Sending };
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
                // Not sent: the record goes, so the queue's retry sends it.
                await tables.Pushes.DeleteEntityAsync(record.PartitionKey, record.RowKey, ETag.All, CancellationToken.None);
                throw;
            }
            PushLog.Pushed(logger, notificationId, device.RowKey, result.Outcome);
            switch (result.Outcome)
            {
                case PushOutcome.Unavailable:
                    await tables.Pushes.DeleteEntityAsync(record.PartitionKey, record.RowKey, ETag.All, CancellationToken.None);
                    Interlocked.Increment(ref unavailable);
                    return;
                case PushOutcome.TokenRejected:
                    await devices.RemoveAsync(push.UserId, device.RowKey, ct);
                    break;
            }
            record.State = result.Outcome == PushOutcome.Sent ? Delivered : $"{result.Outcome}:{result.Code}".ToLowerInvariant();
            await tables.Pushes.UpsertEntityAsync(record, TableUpdateMode.Replace, ct);
        });
        // FCM stayed unavailable: the message comes back later and pushes what is still unsent.
        if (unavailable > 0) throw new InvalidOperationException($"FCM unavailable for {unavailable} devices.");
    }
}
