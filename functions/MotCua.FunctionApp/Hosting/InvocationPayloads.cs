using System.Globalization;
using System.Text.Json;
using MotCua.FunctionApp.Outbox;
using MotCua.Messaging;
using MotCua.Messaging.StorageQueues;

namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// Reads the Functions host's invocation payloads (<c>{ Data, Metadata }</c>) into what handlers take.
/// Metadata values are read whether the host sent them as JSON values or as JSON text.
/// </summary>
public static class InvocationPayloads
{
    /// <summary>
    /// Whether a queue function's invocation comes from a <c>serviceBusTrigger</c> (as <c>generate-functions
    /// --service-bus</c> binds it): only its metadata has <c>DeliveryCount</c>; a <c>queueTrigger</c>'s has <c>DequeueCount</c>.
    /// </summary>
    public static bool IsServiceBus(InvocationRequest request) => request.Metadata.ContainsKey("DeliveryCount");

    /// <summary>
    /// <c>queueTrigger</c>: <c>Data.message</c> is our JSON envelope (Storage queues carry text only);
    /// the metadata gives <c>DequeueCount</c> and <c>InsertionTime</c>.
    /// </summary>
    public static QueueMessage<BinaryData> FromStorageQueue(InvocationRequest request, DateTimeOffset now)
    {
        var text = TriggerValues.ReadText(TriggerValues.Required(request, TriggerBindings.Queue));
        QueueEnvelope envelope;
        try
        {
            envelope = QueueEnvelope.Parse(text);
        }
        catch (JsonException e)
        {
            throw new UnreadableMessageException($"The queue message is not a readable envelope: {e.Message}", e);
        }
        string? traceParent = null;
        envelope.Properties?.TryGetValue(MessageProperties.TraceParent, out traceParent);
        return new QueueMessage<BinaryData>(envelope.MessageId, envelope.Subject, envelope.CorrelationId, traceParent,
            Count(request.Metadata, "DequeueCount"), Time(request.Metadata, "InsertionTime") ?? now,
            BinaryData.FromString(envelope.Body.GetRawText()));
    }

    /// <summary>
    /// <c>serviceBusTrigger</c>: <c>Data.message</c> is the body itself; the id, subject, correlation id and
    /// properties are the message's own, in the metadata (<c>Subject</c> and <c>ApplicationProperties</c>
    /// from extension 5; <c>Label</c> and <c>UserProperties</c> before).
    /// </summary>
    public static QueueMessage<BinaryData> FromServiceBus(InvocationRequest request, DateTimeOffset now)
    {
        var body = TriggerValues.Required(request, TriggerBindings.Queue);
        var metadata = request.Metadata;
        var messageId = Text(metadata, "MessageId") ?? throw new InvalidInvocationException("The Service Bus message has no MessageId.");
        var properties = Properties(metadata, "ApplicationProperties") ?? Properties(metadata, "UserProperties") ?? [];
        properties.TryGetValue(MessageProperties.TraceParent, out var traceParent);
        return new QueueMessage<BinaryData>(messageId, Text(metadata, "Subject") ?? Text(metadata, "Label") ?? string.Empty,
            Text(metadata, "CorrelationId"), traceParent, Count(metadata, "DeliveryCount"), Time(metadata, "EnqueuedTimeUtc") ?? now,
            BinaryData.FromString(TriggerValues.ReadText(body)));
    }

    /// <summary><c>eventGridTrigger</c>: the event; null when it is not a blob-created event.</summary>
    public static BlobCreated? FromEventGrid(InvocationRequest request)
    {
        var gridEvent = TriggerValues.ReadJson(TriggerValues.Required(request, TriggerBindings.EventGrid));
        return EventGridBlobEvents.Read(gridEvent);
    }

    /// <summary><c>timerTrigger</c>: the occurrence is the schedule status's <c>Next</c> when the host keeps one, else now.</summary>
    public static TimerTick FromTimer(InvocationRequest request, DateTimeOffset now)
    {
        var timer = TriggerValues.ReadJson(TriggerValues.Required(request, TriggerBindings.Timer));
        var pastDue = timer.TryGetProperty("IsPastDue", out var p) && p.ValueKind == JsonValueKind.True;
        DateTimeOffset? next = timer.TryGetProperty("ScheduleStatus", out var status) && status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("Next", out var n) && n.ValueKind == JsonValueKind.String && n.TryGetDateTimeOffset(out var at) ? at : null;
        return new TimerTick(next ?? now, pastDue);
    }

    private static JsonElement? Value(Dictionary<string, JsonElement> metadata, string key) =>
        metadata.TryGetValue(key, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value : null;

    private static string? Text(Dictionary<string, JsonElement> metadata, string key) =>
        Value(metadata, key) is { } value ? TriggerValues.ReadText(value) : null;

    private static int Count(Dictionary<string, JsonElement> metadata, string key) =>
        Value(metadata, key) is { } value && (value.ValueKind == JsonValueKind.Number ? value.TryGetInt32(out var n)
            : int.TryParse(TriggerValues.ReadText(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) ? n : 1;

    private static DateTimeOffset? Time(Dictionary<string, JsonElement> metadata, string key) =>
        Text(metadata, key) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static Dictionary<string, string>? Properties(Dictionary<string, JsonElement> metadata, string key)
    {
        if (Value(metadata, key) is not { } value) return null;
        var bag = TriggerValues.ReadJson(value);
        if (bag.ValueKind != JsonValueKind.Object) return null;
        return bag.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
    }
}

/// <summary>Event Grid's <c>Microsoft.Storage.BlobCreated</c> events, as Event Grid and the standalone outbox publish them.</summary>
public static class EventGridBlobEvents
{
    public const string BlobCreatedType = "Microsoft.Storage.BlobCreated";

    /// <summary>The blob an event names, or null for another event type; an event without a blob subject is unreadable.</summary>
    public static BlobCreated? Read(JsonElement gridEvent)
    {
        if (gridEvent.ValueKind != JsonValueKind.Object) throw new UnreadableMessageException("The event is not a JSON object.");
        var eventType = gridEvent.TryGetProperty("eventType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (eventType != BlobCreatedType) return null;

        // "/blobServices/default/containers/{container}/blobs/{name}"
        var subject = gridEvent.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : string.Empty;
        const string containers = "/blobServices/default/containers/";
        var blobs = subject.IndexOf("/blobs/", StringComparison.Ordinal);
        if (!subject.StartsWith(containers, StringComparison.Ordinal) || blobs < containers.Length)
            throw new UnreadableMessageException($"The event subject '{subject}' names no blob.");

        var data = gridEvent.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        string? Member(string name) => data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        long? length = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("contentLength", out var l) && l.TryGetInt64(out var n) ? n : null;
        return new BlobCreated(subject[containers.Length..blobs], subject[(blobs + "/blobs/".Length)..], Member("eTag"),
            Uri.TryCreate(Member("url"), UriKind.Absolute, out var url) ? url : null, length);
    }
}
