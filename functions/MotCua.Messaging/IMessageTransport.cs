namespace MotCua.Messaging;

/// <summary>
/// The few queue operations every processing step needs, with at-least-once delivery. Two
/// implementations: Azure Storage Queues and Service Bus over AMQP 1.0.
/// </summary>
public interface IMessageTransport
{
    Task EnsureQueueAsync(string queue, CancellationToken cancellationToken);

    Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken);

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
