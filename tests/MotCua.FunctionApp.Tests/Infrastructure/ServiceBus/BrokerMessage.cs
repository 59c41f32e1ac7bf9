using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

/// <summary>
/// A message as the broker keeps it: the bare message the client sent (header, annotations,
/// properties, application properties, body) plus what the broker adds on every delivery —
/// sequence number, enqueued time, delivery count and the lock it is under.
/// </summary>
internal sealed class BrokerMessage
{
    // Protocol guide, "Message annotations" Service Bus sets on delivered messages.
    public const string SequenceNumberAnnotation = "x-opt-sequence-number";
    public const string EnqueuedTimeAnnotation = "x-opt-enqueued-time";
    public const string LockTokenAnnotation = "x-opt-lock-token";
    public const string LockedUntilAnnotation = "x-opt-locked-until";
    public const string ScheduledEnqueueTimeAnnotation = "x-opt-scheduled-enqueue-time";
    public const string DeadLetterSourceAnnotation = "x-opt-deadletter-source";

    private BrokerMessage(byte[] payload, string? messageId, DateTime? scheduledEnqueueTime)
    {
        Payload = payload;
        MessageId = messageId;
        ScheduledEnqueueTime = scheduledEnqueueTime;
    }

    /// <summary>The encoded message sections, as sent, with any properties the broker has changed since.</summary>
    public byte[] Payload { get; private set; }

    public string? MessageId { get; }
    public DateTime? ScheduledEnqueueTime { get; }
    public long SequenceNumber { get; set; }
    public DateTime EnqueuedTime { get; set; }

    /// <summary>How many times the message has been handed out under a lock (the header's delivery-count).</summary>
    public uint DeliveryCount { get; set; }

    public Guid LockToken { get; set; }
    public DateTime LockedUntil { get; set; }
    public string? DeadLetterSource { get; set; }

    /// <summary>Reads one message from its encoded sections (a transfer's payload or a batch's data section).</summary>
    public static BrokerMessage FromPayload(byte[] payload)
    {
        using var message = Decode(payload);
        message.Deserialize(SectionFlag.All);
        var scheduled = message.MessageAnnotations.Map[ScheduledEnqueueTimeAnnotation] as DateTime?;
        return new BrokerMessage(payload, message.Properties?.MessageId?.ToString(), scheduled);
    }

    /// <summary>
    /// The messages one transfer carries: itself, or for the batch format (0x80013700) each data
    /// section holding a whole encoded message, as the client's batches are built.
    /// </summary>
    public static IReadOnlyList<BrokerMessage> FromTransfer(AmqpMessage transfer)
    {
        const uint BatchFormat = 0x80013700;
        if (transfer.MessageFormat != BatchFormat)
        {
            using var copy = transfer.Clone();
            return [FromPayload(Concat(copy.GetPayload()))];
        }
        return transfer.DataBody.Select(data => FromPayload(ToArray(data.Value))).ToList();
    }

    /// <summary>Sets application properties on the stored message (dead-letter reason, properties to modify).</summary>
    public void SetApplicationProperties(IEnumerable<KeyValuePair<string, object?>> properties)
    {
        using var message = Decode(Payload);
        message.Deserialize(SectionFlag.All);
        message.ApplicationProperties ??= new ApplicationProperties();
        foreach (var (name, value) in properties) message.ApplicationProperties.Map[name] = value;
        Payload = Concat(message.GetPayload());
    }

    /// <summary>The message as it goes to a receiver or into a peek answer, carrying the broker's annotations.</summary>
    public AmqpMessage ToDelivery(bool withLock)
    {
        var message = Decode(Payload);
        message.Deserialize(SectionFlag.All);
        message.Header.DeliveryCount = DeliveryCount;
        var annotations = message.MessageAnnotations.Map;
        annotations[SequenceNumberAnnotation] = SequenceNumber;
        annotations[EnqueuedTimeAnnotation] = EnqueuedTime;
        if (withLock)
        {
            annotations[LockTokenAnnotation] = LockToken;
            annotations[LockedUntilAnnotation] = LockedUntil;
        }
        if (DeadLetterSource is not null) annotations[DeadLetterSourceAnnotation] = DeadLetterSource;
        return message;
    }

    /// <summary>The encoded message with the broker's annotations, as the peek-message answer carries it.</summary>
    public byte[] ToPeekPayload(bool locked)
    {
        using var message = ToDelivery(locked);
        return Concat(message.GetPayload());
    }

    public static object? ApplicationProperty(byte[] payload, string name)
    {
        using var message = Decode(payload);
        message.Deserialize(SectionFlag.All);
        return message.ApplicationProperties?.Map[name];
    }

    private static AmqpMessage Decode(byte[] payload) =>
        AmqpMessage.CreateAmqpStreamMessage(new BufferListStream([new ArraySegment<byte>(payload)]));

    private static byte[] ToArray(object? value) => value switch
    {
        ArraySegment<byte> segment => segment.ToArray(),
        byte[] bytes => bytes,
        _ => throw new InvalidDataException("A batch data section holds no encoded message."),
    };

    private static byte[] Concat(ArraySegment<byte>[] segments)
    {
        var bytes = new byte[segments.Sum(s => s.Count)];
        var offset = 0;
        foreach (var segment in segments)
        {
            segment.AsSpan().CopyTo(bytes.AsSpan(offset));
            offset += segment.Count;
        }
        return bytes;
    }
}
