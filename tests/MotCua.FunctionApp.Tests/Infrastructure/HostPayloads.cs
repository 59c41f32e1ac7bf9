using System.Text.Json;
using System.Text.Json.Nodes;
using MotCua.Messaging;
using MotCua.Messaging.StorageQueues;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>
/// Invocation payloads shaped as the Functions host sends them to a custom handler: trigger data
/// by binding name, and the trigger's documented metadata, with the <c>sys</c> block every invocation has.
/// </summary>
public static class HostPayloads
{
    /// <summary>
    /// A <c>queueTrigger</c> invocation: the message text (our envelope) under the binding name and the
    /// queue message's metadata. <paramref name="doubleEncoded"/> sends the text encoded a second time, as current hosts do.
    /// </summary>
    public static JsonObject StorageQueue(string functionName, string messageText, int dequeueCount = 1, bool doubleEncoded = false) => new()
    {
        ["Data"] = new JsonObject { [TriggerBindings.Queue] = doubleEncoded ? JsonSerializer.Serialize(messageText) : messageText },
        ["Metadata"] = new JsonObject
        {
            ["DequeueCount"] = dequeueCount,
            ["ExpirationTime"] = DateTimeOffset.UtcNow.AddDays(7).ToString("O"),
            ["Id"] = Guid.NewGuid().ToString(),
            ["InsertionTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["NextVisibleTime"] = DateTimeOffset.UtcNow.AddMinutes(10).ToString("O"),
            ["PopReceipt"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
            ["sys"] = Sys(functionName),
        },
    };

    /// <summary>The text a Storage queue carries for a message: our envelope around its body.</summary>
    public static string EnvelopeText(ReceivedMessage message) =>
        QueueEnvelope.From(new OutgoingMessage(message.MessageId, message.Subject, message.Body, message.CorrelationId, message.Properties)).ToText();

    /// <summary>
    /// A <c>serviceBusTrigger</c> invocation: the body itself under the binding name, and the message's
    /// own id, delivery count, times, correlation id, subject and application properties as metadata
    /// (extension 5 names; <paramref name="olderHost"/> uses <c>Label</c> and <c>UserProperties</c> instead).
    /// </summary>
    public static JsonObject ServiceBus(string functionName, string messageId, string subject, BinaryData body, string? correlationId = null,
        IReadOnlyDictionary<string, string>? properties = null, int deliveryCount = 1, bool olderHost = false)
    {
        var bag = new JsonObject();
        foreach (var (key, value) in properties ?? new Dictionary<string, string>()) bag[key] = value;
        return new JsonObject
        {
            ["Data"] = new JsonObject { [TriggerBindings.Queue] = body.ToString() },
            ["Metadata"] = new JsonObject
            {
                ["MessageId"] = messageId,
                ["DeliveryCount"] = deliveryCount,
                ["EnqueuedTimeUtc"] = DateTime.UtcNow.ToString("O"),
                ["ExpiresAtUtc"] = DateTime.UtcNow.AddDays(14).ToString("O"),
                ["SequenceNumber"] = 1,
                ["LockToken"] = Guid.NewGuid().ToString(),
                ["ContentType"] = "application/json",
                ["CorrelationId"] = correlationId,
                [olderHost ? "Label" : "Subject"] = subject,
                [olderHost ? "UserProperties" : "ApplicationProperties"] = bag,
                ["sys"] = Sys(functionName),
            },
        };
    }

    /// <summary>An <c>eventGridTrigger</c> invocation: the Event Grid event under the binding name.</summary>
    public static JsonObject EventGrid(string functionName, JsonNode gridEvent) => new()
    {
        ["Data"] = new JsonObject { [TriggerBindings.EventGrid] = gridEvent },
        ["Metadata"] = new JsonObject { ["sys"] = Sys(functionName) },
    };

    /// <summary>A <c>timerTrigger</c> invocation: the documented timer object under the binding name.</summary>
    public static JsonObject Timer(string functionName, DateTimeOffset last, DateTimeOffset next) => new()
    {
        ["Data"] = new JsonObject
        {
            [TriggerBindings.Timer] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject { ["Last"] = last.ToString("O"), ["Next"] = next.ToString("O"), ["LastUpdated"] = last.ToString("O") },
                ["IsPastDue"] = false,
            },
        },
        ["Metadata"] = new JsonObject { ["sys"] = Sys(functionName) },
    };

    public static StringContent Content(JsonObject payload) =>
        new(payload.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private static JsonObject Sys(string functionName) => new()
    {
        ["MethodName"] = functionName,
        ["UtcNow"] = DateTime.UtcNow.ToString("O"),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };
}
