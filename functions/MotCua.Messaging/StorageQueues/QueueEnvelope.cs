using System.Text.Json;
using System.Text.Json.Serialization;

namespace MotCua.Messaging.StorageQueues;

/// <summary>
/// Storage queue messages carry only text, so the id, subject, correlation id and properties that
/// Service Bus keeps as message properties travel in this JSON envelope around the body.
/// </summary>
public sealed record QueueEnvelope(
    [property: JsonPropertyName("messageId")] string MessageId,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("correlationId")] string? CorrelationId,
    [property: JsonPropertyName("properties")] Dictionary<string, string>? Properties,
    [property: JsonPropertyName("body")] JsonElement Body)
{
    [JsonPropertyName("deadLetterReason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeadLetterReason { get; init; }

    [JsonPropertyName("deadLetterDescription")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeadLetterDescription { get; init; }

    [JsonPropertyName("deadLetteredAt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? DeadLetteredAt { get; init; }

    [JsonPropertyName("deliveryCount")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? DeliveryCount { get; init; }

    public static QueueEnvelope From(OutgoingMessage message)
    {
        JsonElement body;
        try
        {
            body = JsonElement.Parse(message.Body.ToMemory().Span);
        }
        catch (JsonException e)
        {
            throw new ArgumentException("Message bodies are JSON.", nameof(message), e);
        }
        return new QueueEnvelope(message.MessageId, message.Subject, message.CorrelationId,
            message.Properties?.ToDictionary(), body);
    }

    public string ToText() => JsonSerializer.Serialize(this);

    public static QueueEnvelope Parse(string text) =>
        JsonSerializer.Deserialize<QueueEnvelope>(text) is { MessageId: not null, Subject: not null } envelope
            ? envelope
            : throw new JsonException("Not a queue envelope.");
}
