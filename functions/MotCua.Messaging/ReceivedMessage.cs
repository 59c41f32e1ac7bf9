namespace MotCua.Messaging;

/// <summary>
/// A locked message. <see cref="DeliveryCount"/> starts at 1; <see cref="LockToken"/> is the
/// transport's handle for settling it.
/// </summary>
public sealed record ReceivedMessage(
    string Queue,
    string MessageId,
    string Subject,
    BinaryData Body,
    string? CorrelationId,
    IReadOnlyDictionary<string, string> Properties,
    int DeliveryCount,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset? ExpiresAt,
    string TransportMessageId,
    string LockToken)
{
    /// <summary>The message exactly as the transport carries it, for trigger payloads.</summary>
    public required string RawText { get; init; }

    public DateTimeOffset LockedUntil { get; init; }
}
