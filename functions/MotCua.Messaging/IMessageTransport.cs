namespace MotCua.Messaging;

/// <summary>
/// The few queue operations every processing step needs, with at-least-once delivery. Two
/// implementations: Azure Storage Queues and Service Bus over AMQP 1.0.
/// </summary>
public interface IMessageTransport
{
    Task EnsureQueueAsync(string queue, CancellationToken cancellationToken);

    Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="handle"/> for each message of <paramref name="queue"/> until <paramref name="stopping"/>:
    /// at most <see cref="MessagePumpOptions.MaxConcurrency"/> at once, the lock held while it runs, completed on
    /// success, delivered again after a delay on failure, dead-lettered with the failure as its reason after
    /// <see cref="MessagePumpOptions.MaxDeliveryCount"/> deliveries, and at once when the handler throws
    /// <see cref="UnreadableMessageException"/>. On stop, running handlers get the grace period, then are cancelled and handed back.
    /// </summary>
    Task ConsumeAsync(string queue, Func<ReceivedMessage, CancellationToken, Task> handle, MessagePumpOptions options, CancellationToken stopping);

    /// <summary>Locks up to <paramref name="maxMessages"/> messages for <paramref name="lockDuration"/>.</summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken);

    Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken);

    /// <summary>Gives the message back, to be delivered again after <paramref name="delay"/>.</summary>
    Task<ReceivedMessage> AbandonAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken);

    Task<ReceivedMessage> RenewLockAsync(ReceivedMessage message, TimeSpan lockDuration, CancellationToken cancellationToken);

    Task DeadLetterAsync(ReceivedMessage message, string reason, string description, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(string queue, int maxMessages, CancellationToken cancellationToken);

    /// <summary>Moves dead letters back to their queue; returns how many moved.</summary>
    Task<int> ReplayDeadLettersAsync(string queue, int maxMessages, CancellationToken cancellationToken);
}
