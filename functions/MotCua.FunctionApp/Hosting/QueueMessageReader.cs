using System.Text.Json;
using MotCua.Messaging.StorageQueues;

namespace MotCua.FunctionApp.Hosting;

/// <summary>A queue-triggered invocation's message: our id, subject, trace context and typed body.</summary>
public sealed record QueueInvocationMessage<T>(string MessageId, string Subject, string? TraceParent, T Body);

public static class QueueMessageReader
{
    public static QueueInvocationMessage<T> Read<T>(InvocationRequest request)
    {
        var text = TriggerValues.Required(request, TriggerBindings.Queue);
        try
        {
            var envelope = QueueEnvelope.Parse(text);
            var body = envelope.Body.Deserialize<T>(JsonSerializerOptions.Web) ?? throw new InvalidInvocationException("The message body is null.");
            string? traceParent = null;
            envelope.Properties?.TryGetValue(Outbox.MessageProperties.TraceParent, out traceParent);
            return new QueueInvocationMessage<T>(envelope.MessageId, envelope.Subject, traceParent, body);
        }
        catch (JsonException e)
        {
            throw new InvalidInvocationException($"The queue message is not a readable envelope: {e.Message}");
        }
    }
}
