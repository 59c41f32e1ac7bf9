using System.Text.Json;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Hosting;

/// <summary>Builds the payloads the Functions host would send, so standalone triggers call handlers exactly as Azure does.</summary>
public static class StandaloneInvocations
{
    public static InvocationRequest ForQueueMessage(ReceivedMessage message, DateTimeOffset now) => new(
        new()
        {
            [TriggerBindings.Queue] = JsonSerializer.SerializeToElement(new Messaging.StorageQueues.QueueEnvelope(message.MessageId, message.Subject,
                message.CorrelationId, message.Properties.ToDictionary(), JsonElement.Parse(message.Body.ToMemory().Span)).ToText()),
        },
        new()
        {
            ["DequeueCount"] = JsonSerializer.SerializeToElement(message.DeliveryCount),
            ["Id"] = JsonSerializer.SerializeToElement(message.MessageId),
            ["InsertionTime"] = JsonSerializer.SerializeToElement(message.EnqueuedAt),
            ["sys"] = Sys("QueueTrigger", now),
        });

    public static InvocationRequest ForEvent(JsonElement eventGridEvent, string functionName, DateTimeOffset now) => new(
        new() { [TriggerBindings.EventGrid] = eventGridEvent },
        new() { ["sys"] = Sys(functionName, now) });

    public static InvocationRequest ForTimer(string functionName, string schedule, DateTimeOffset? last, DateTimeOffset next, DateTimeOffset now) => new(
        new()
        {
            [TriggerBindings.Timer] = JsonSerializer.SerializeToElement(new
            {
                Schedule = new { AdjustForDST = true },
                ScheduleStatus = last is null ? null : new { Last = last, Next = next, LastUpdated = now },
                IsPastDue = now - next > TimeSpan.FromMinutes(1),
            }),
        },
        new() { ["sys"] = Sys(functionName, now) });

    private static JsonElement Sys(string methodName, DateTimeOffset now) =>
        JsonSerializer.SerializeToElement(new { MethodName = methodName, UtcNow = now, RandGuid = Guid.NewGuid() });
}
