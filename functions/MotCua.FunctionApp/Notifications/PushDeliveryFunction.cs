using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// Queue step for the pushes a notification could not make at once (FCM unavailable, a failed
/// request): the user's phones are read again and each gets the push once (<see cref="PushDelivery"/>).
/// A phone removed or moved to another user meanwhile gets nothing.
/// </summary>
public sealed class PushDeliveryFunction(PushDelivery pushes, DeviceRegistry devices) : IQueueHandler<PushRequest>
{
    public static readonly FunctionDeclaration Declaration = new("DeliverPush", new QueueTrigger(QueueNames.PushDeliveries));

    public async Task HandleAsync(QueueMessage<PushRequest> message, CancellationToken cancellationToken)
    {
        if (!pushes.Enabled) return;
        await pushes.DeliverAsync(message.Body, await devices.OfAsync(message.Body.UserId, cancellationToken), cancellationToken);
    }
}
