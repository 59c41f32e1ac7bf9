namespace MotCua.Messaging;

/// <summary>
/// A message as a handler sees it, whichever transport carried it. <see cref="DeliveryCount"/> starts
/// at 1 and counts every delivery, retries included.
/// </summary>
public sealed record ReceivedMessage(
    string Queue,
    string MessageId,
    string Subject,
    BinaryData Body,
    string? CorrelationId,
    IReadOnlyDictionary<string, string> Properties,
    int DeliveryCount,
    DateTimeOffset EnqueuedAt);
