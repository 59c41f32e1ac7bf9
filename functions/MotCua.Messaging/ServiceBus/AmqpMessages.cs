using System.Text;
using Amqp;
using Amqp.Framing;
using Amqp.Types;
using MotCua.Messaging.StorageQueues;

namespace MotCua.Messaging.ServiceBus;

/// <summary>
/// Our messages as AMQP messages. Id, correlation id, subject and application properties travel
/// as the AMQP properties Service Bus understands; the body is the same JSON envelope the storage
/// queues carry, so a handler reads one format whichever transport or host delivered it.
/// </summary>
internal static class AmqpMessages
{
    public static readonly Symbol EnqueuedTime = "x-opt-enqueued-time";
    public static readonly Symbol LockToken = "x-opt-lock-token";
    public static readonly Symbol LockedUntil = "x-opt-locked-until";
    public static readonly Symbol SequenceNumber = "x-opt-sequence-number";
    public static readonly Symbol ScheduledEnqueueTime = "x-opt-scheduled-enqueue-time";
    public const string DeadLetterReason = "DeadLetterReason";
    public const string DeadLetterDescription = "DeadLetterErrorDescription";

    public static Message From(OutgoingMessage message, DateTimeOffset now)
    {
        var amqp = new Message
        {
            BodySection = new Data { Binary = Encoding.UTF8.GetBytes(QueueEnvelope.From(message).ToText()) },
            Header = new Header { Durable = true },
            Properties = new Properties
            {
                MessageId = message.MessageId,
                Subject = message.Subject,
                ContentType = "application/json",
                CreationTime = now.UtcDateTime,
            },
            ApplicationProperties = new ApplicationProperties(),
        };
        if (message.CorrelationId is not null) amqp.Properties.CorrelationId = message.CorrelationId;
        foreach (var (key, value) in message.Properties ?? new Dictionary<string, string>()) amqp.ApplicationProperties.Map[key] = value;
        return amqp;
    }

    /// <summary>A new message with the same sections, for brokers where moving a message means sending a copy.</summary>
    public static Message Copy(Message original, Action<Map> editProperties)
    {
        var copy = new Message
        {
            BodySection = original.BodySection,
            Header = new Header { Durable = true },
            Properties = new Properties
            {
                MessageId = original.Properties?.MessageId,
                Subject = original.Properties?.Subject,
                ContentType = original.Properties?.ContentType,
                CreationTime = original.Properties?.CreationTime ?? default,
            },
            ApplicationProperties = new ApplicationProperties(),
        };
        if (original.Properties?.CorrelationId is { } correlation) copy.Properties.CorrelationId = correlation;
        foreach (var (key, value) in original.ApplicationProperties?.Map ?? new Map()) copy.ApplicationProperties.Map[key] = value;
        editProperties(copy.ApplicationProperties.Map);
        return copy;
    }

    public static string BodyText(Message message) => message.Body switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        null => string.Empty,
        var other => other.ToString() ?? string.Empty,
    };

    /// <summary>Application properties with string values: ours. Brokers add others (RabbitMQ's x-death), which are skipped.</summary>
    public static Dictionary<string, string> StringProperties(Message message, Func<string, bool> keep) =>
        (message.ApplicationProperties?.Map ?? new Map())
            .Where(p => p.Key is string key && p.Value is string && keep(key))
            .ToDictionary(p => (string)p.Key, p => (string)p.Value);

    public static string? Property(Message message, string name) =>
        message.ApplicationProperties?.Map is { } map && map.TryGetValue(name, out var value) ? value?.ToString() : null;

    public static T? Annotation<T>(Message message, Symbol name) =>
        message.MessageAnnotations?.Map is { } map && map.TryGetValue(name, out var value) && value is T typed ? typed : default;

    public static DateTimeOffset? Time(DateTime value) =>
        value == default ? null : new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
