using Azure.Messaging.ServiceBus;

namespace MotCua.Messaging.ServiceBus;

/// <summary>
/// Our messages as Service Bus carries them: id, subject and correlation id in the message's own
/// properties, ours in its application properties, the JSON body as it is. A retry is a scheduled
/// copy that remembers the deliveries before it.
/// </summary>
internal static class ServiceBusMessages
{
    /// <summary>Deliveries before this copy of a message was re-sent for a delayed retry.</summary>
    public const string PriorDeliveries = "motcua-prior-deliveries";

    public const string DeadLetteredAt = "motcua-dead-lettered-at";

    /// <summary>Service Bus keeps a dead-letter reason in the application properties under these names.</summary>
    private static readonly HashSet<string> NotOurs = [PriorDeliveries, DeadLetteredAt, "DeadLetterReason", "DeadLetterErrorDescription"];

    public static ServiceBusMessage ToServiceBus(OutgoingMessage message)
    {
        var sent = new ServiceBusMessage(message.Body)
        {
            MessageId = message.MessageId,
            Subject = message.Subject,
            CorrelationId = message.CorrelationId,
            ContentType = "application/json",
        };
        foreach (var (key, value) in message.Properties ?? new Dictionary<string, string>()) sent.ApplicationProperties[key] = value;
        if (message.ScheduledEnqueueTime is { } at) sent.ScheduledEnqueueTime = at;
        return sent;
    }

    public static ReceivedMessage ToReceived(string queue, ServiceBusReceivedMessage message) =>
        // A message from another sender may have no id of ours; its sequence number still names it.
        new(queue, message.MessageId ?? $"sequence-{message.SequenceNumber}", message.Subject ?? string.Empty, message.Body, message.CorrelationId,
            message.ApplicationProperties.Where(p => !NotOurs.Contains(p.Key) && p.Value is string)
                .ToDictionary(p => p.Key, p => (string)p.Value),
            Prior(message) + message.DeliveryCount, message.EnqueuedTime);

    /// <summary>The copy that is delivered again at <paramref name="at"/>, after <paramref name="deliveries"/> deliveries.</summary>
    public static ServiceBusMessage Retry(ServiceBusReceivedMessage message, int deliveries, DateTimeOffset at)
    {
        var copy = new ServiceBusMessage(message) { ScheduledEnqueueTime = at };
        copy.ApplicationProperties[PriorDeliveries] = deliveries;
        return copy;
    }

    /// <summary>A dead letter sent back to its queue as it was first sent.</summary>
    public static ServiceBusMessage Replay(ServiceBusReceivedMessage letter)
    {
        var copy = new ServiceBusMessage(letter);
        foreach (var key in NotOurs) copy.ApplicationProperties.Remove(key);
        return copy;
    }

    /// <summary>What the dead letter records besides its reason: when, and after how many deliveries.</summary>
    public static Dictionary<string, object> DeadLetterMarks(int deliveries, DateTimeOffset at) => new()
    {
        [PriorDeliveries] = deliveries,
        [DeadLetteredAt] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    public static DeadLetter ToDeadLetter(string queue, ServiceBusReceivedMessage letter)
    {
        // Dead-lettered by a consumer, the letter carries its count and time; by the broker (MaxDeliveryCountExceeded), it does not.
        letter.ApplicationProperties.TryGetValue(DeadLetteredAt, out var value);
        var byConsumer = DateTimeOffset.TryParse(value as string, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.RoundtripKind, out var at);
        var received = ToReceived(queue, letter);
        if (byConsumer) received = received with { DeliveryCount = Prior(letter) };
        return new DeadLetter(queue, received, letter.DeadLetterReason ?? "Unknown", letter.DeadLetterErrorDescription ?? string.Empty,
            byConsumer ? at : letter.EnqueuedTime);
    }

    private static int Prior(ServiceBusReceivedMessage message) =>
        message.ApplicationProperties.TryGetValue(PriorDeliveries, out var value) && value is int count ? count : 0;
}
