namespace MotCua.Messaging;

/// <summary>
/// What every processing step needs of a queue, with at-least-once delivery: send, consume, and the
/// dead letters for the admins. Two implementations: Azure Storage Queues and Azure Service Bus.
/// Queues exist before the app runs (Azure: the infrastructure template; Azurite: created at start).
/// </summary>
public interface IMessageTransport
{
    Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="handle"/> for each message of <paramref name="queue"/> until <paramref name="stopping"/>:
    /// at most <see cref="MessagePumpOptions.MaxConcurrency"/> at once, the lock held while it runs, completed on
    /// success, delivered again after a delay on failure, dead-lettered with the failure as its reason after
    /// <see cref="MessagePumpOptions.MaxDeliveryCount"/> deliveries, and at once when the handler throws
    /// <see cref="UnreadableMessageException"/>. On stop, running handlers get the grace period, then are cancelled and handed back.
    /// </summary>
    Task ConsumeAsync(string queue, Func<ReceivedMessage, CancellationToken, Task> handle, MessagePumpOptions options, CancellationToken stopping);

    Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(string queue, int maxMessages, CancellationToken cancellationToken);

    /// <summary>Moves dead letters back to their queue; returns how many moved.</summary>
    Task<int> ReplayDeadLettersAsync(string queue, int maxMessages, CancellationToken cancellationToken);
}
