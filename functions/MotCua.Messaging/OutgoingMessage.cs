namespace MotCua.Messaging;

/// <summary>
/// A message to send. <see cref="MessageId"/> is ours, stable across re-sends, so handlers can
/// recognise a second delivery; the transport's own delivery ids are not.
/// </summary>
public sealed record OutgoingMessage(
    string MessageId,
    string Subject,
    BinaryData Body,
    string? CorrelationId = null,
    IReadOnlyDictionary<string, string>? Properties = null,
    DateTimeOffset? ScheduledEnqueueTime = null);
