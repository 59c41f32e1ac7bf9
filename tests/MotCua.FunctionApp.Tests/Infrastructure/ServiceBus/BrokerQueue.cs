using Microsoft.Azure.Amqp;

namespace MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

/// <summary>How a declared queue behaves, as its Service Bus entity description would say.</summary>
/// <param name="MaxDeliveryCount">Deliveries after which a message whose lock is lost or abandoned is dead-lettered.</param>
/// <param name="LockDuration">How long a peek-lock delivery stays locked; 30 seconds when not given.</param>
public sealed record QueueSettings(int MaxDeliveryCount = 10, TimeSpan? LockDuration = null)
{
    public TimeSpan Lock => LockDuration ?? TimeSpan.FromSeconds(30);
}

/// <summary>What a queue (or its dead-letter sub-queue) holds right now.</summary>
public sealed record QueueCounts(int Active, int Locked, int Scheduled, int Deferred, int DeadLettered);

/// <summary>
/// One entity the broker serves: a queue or its <c>$deadletterqueue</c> sub-queue. It holds the
/// available messages in sequence order, the locked ones by lock token, the scheduled and the
/// deferred ones, and the receiver links that take its messages. All access is under the broker's lock.
/// </summary>
internal sealed class BrokerQueue(string path, QueueSettings settings, BrokerQueue? deadLetterQueue)
{
    private int _nextReceiver;

    public string Path { get; } = path;
    public QueueSettings Settings { get; } = settings;

    /// <summary>The dead-letter sub-queue; null for the sub-queue itself, whose messages are never dead-lettered again.</summary>
    public BrokerQueue? DeadLetterQueue { get; } = deadLetterQueue;

    public SortedDictionary<long, BrokerMessage> Active { get; } = [];
    public Dictionary<Guid, BrokerMessage> Locked { get; } = [];
    public SortedDictionary<long, BrokerMessage> Scheduled { get; } = [];
    public SortedDictionary<long, BrokerMessage> Deferred { get; } = [];
    public List<SendingAmqpLink> Receivers { get; } = [];

    /// <summary>A receiver link with credit left, taken in turn so competing receivers share the queue.</summary>
    public SendingAmqpLink? NextReceiverWithCredit()
    {
        for (var i = 0; i < Receivers.Count; i++)
        {
            var link = Receivers[(_nextReceiver + i) % Receivers.Count];
            if (!link.IsClosing() && link.LinkCredit > link.Available)
            {
                _nextReceiver = (_nextReceiver + i + 1) % Receivers.Count;
                return link;
            }
        }
        return null;
    }

    /// <summary>Every message the entity holds, in sequence order, as peek-message browses them.</summary>
    public IEnumerable<BrokerMessage> Browse() =>
        Active.Values.Concat(Locked.Values).Concat(Scheduled.Values).Concat(Deferred.Values).OrderBy(m => m.SequenceNumber);
}
