using System.Collections.Concurrent;
using Microsoft.Azure.Amqp;

namespace MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

/// <summary>One thing the broker did or refused, in order: a token put, a message sent, delivered, settled, a lock renewed.</summary>
/// <param name="Kind">e.g. <c>token-put</c>, <c>token-refused</c>, <c>attach-refused</c>, <c>sent</c>, <c>scheduled</c>,
/// <c>schedule-cancelled</c>, <c>delivered</c>, <c>completed</c>, <c>abandoned</c>, <c>deferred</c>, <c>dead-lettered</c>,
/// <c>released</c>, <c>received-and-deleted</c>, <c>update-disposition</c>, <c>lock-renewed</c>, <c>lock-lost</c>, <c>lock-expired</c>,
/// <c>enqueued-on-schedule</c>, <c>peeked</c>, <c>connection-dropped</c>.</param>
/// <param name="Entity">The entity path (or token audience) it concerns.</param>
/// <param name="Detail">The message id, lock token, reason or status it concerns.</param>
public sealed record BusEvent(string Kind, string Entity, string? Detail);

/// <summary>How a receiver settles a locked message (the AMQP outcome or the update-disposition status it sent).</summary>
internal enum Settlement { Complete, Abandon, Defer, DeadLetter, Release }

/// <summary>
/// The queues and their message state machine, independent of the network: enqueue, lock on
/// delivery, settle, renew, expire, schedule, dead-letter. One lock guards it all; a test peer
/// needs correctness, not throughput.
/// </summary>
internal sealed class Broker(TimeProvider time)
{
    public const string DeadLetterSuffix = "/$deadletterqueue";
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";

    private readonly Dictionary<string, BrokerQueue> _entities = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<BusEvent> _events = new();
    private long _sequence;

    public object Sync { get; } = new();
    public TimeProvider Time => time;
    public IReadOnlyList<BusEvent> Events => _events.ToArray();

    public void Record(string kind, string entity, string? detail = null) => _events.Enqueue(new BusEvent(kind, entity, detail));

    public void Declare(string name, QueueSettings settings)
    {
        lock (Sync)
        {
            var deadLetter = new BrokerQueue(name + DeadLetterSuffix, settings, null);
            _entities[name] = new BrokerQueue(name, settings, deadLetter);
            _entities[deadLetter.Path] = deadLetter;
        }
    }

    /// <summary>The entity at a link's address: <c>queue</c> or <c>queue/$deadletterqueue</c>, any case, with or without a leading slash.</summary>
    public BrokerQueue? Find(string path)
    {
        lock (Sync) return _entities.GetValueOrDefault(path.Trim('/'));
    }

    public QueueCounts Counts(string path)
    {
        lock (Sync)
        {
            var queue = _entities[path];
            return new QueueCounts(queue.Active.Count, queue.Locked.Count, queue.Scheduled.Count, queue.Deferred.Count,
                queue.DeadLetterQueue?.Browse().Count() ?? 0);
        }
    }

    /// <summary>Protocol guide, "Sending messages": assigns sequence number and enqueued time; a future scheduled time holds it back.</summary>
    public IReadOnlyList<long> Enqueue(BrokerQueue queue, IEnumerable<BrokerMessage> messages, bool scheduledOnly = false)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var numbers = new List<long>();
        lock (Sync)
        {
            foreach (var message in messages)
            {
                message.SequenceNumber = ++_sequence;
                message.EnqueuedTime = now;
                numbers.Add(message.SequenceNumber);
                if (message.ScheduledEnqueueTime > now || scheduledOnly)
                {
                    queue.Scheduled[message.SequenceNumber] = message;
                    Record("scheduled", queue.Path, message.MessageId);
                }
                else
                {
                    queue.Active[message.SequenceNumber] = message;
                    Record("sent", queue.Path, message.MessageId);
                }
            }
            Dispatch(queue);
        }
        return numbers;
    }

    /// <summary>Request-response operations: com.microsoft:cancel-scheduled-message. Unknown numbers are ignored.</summary>
    public void CancelScheduled(BrokerQueue queue, IEnumerable<long> sequenceNumbers)
    {
        lock (Sync)
        {
            foreach (var number in sequenceNumbers)
            {
                if (queue.Scheduled.Remove(number, out var message)) Record("schedule-cancelled", queue.Path, message.MessageId);
            }
        }
    }

    public void AddReceiver(BrokerQueue queue, SendingAmqpLink link)
    {
        lock (Sync) queue.Receivers.Add(link);
    }

    public void RemoveReceiver(BrokerQueue queue, SendingAmqpLink link)
    {
        lock (Sync) queue.Receivers.Remove(link);
    }

    /// <summary>
    /// Protocol guide, "Receiving messages": hands available messages to receiver links with link
    /// credit. Peek-lock deliveries carry the lock token as the 16-byte delivery tag (the client
    /// reads the token from there) and in x-opt-lock-token, with x-opt-locked-until; the header's
    /// delivery-count is the number of earlier deliveries. Receive-and-delete deliveries go settled.
    /// </summary>
    public void Dispatch(BrokerQueue queue)
    {
        lock (Sync)
        {
            while (queue.Active.Count > 0 && queue.NextReceiverWithCredit() is { } link)
            {
                var message = queue.Active.Values.First();
                queue.Active.Remove(message.SequenceNumber);
                var peekLock = link.Settings.SettleType != SettleMode.SettleOnSend;
                message.LockToken = Guid.NewGuid();
                if (peekLock)
                {
                    message.LockedUntil = time.GetUtcNow().UtcDateTime + queue.Settings.Lock;
                    queue.Locked[message.LockToken] = message;
                }
                var delivery = message.ToDelivery(withLock: peekLock);
                message.DeliveryCount++;
                Record(peekLock ? "delivered" : "received-and-deleted", queue.Path, message.MessageId);
                link.SendMessageNoWait(delivery, new ArraySegment<byte>(message.LockToken.ToByteArray()), AmqpConstants.NullBinary);
            }
        }
    }

    /// <summary>
    /// Settles a locked message: complete removes it, abandon and release make it available again
    /// (abandon counts the delivery, release does not), defer sets it aside, dead-letter moves it to
    /// the sub-queue with its reason and description as application properties. Returns false when
    /// the lock is unknown or has expired — the client's MessageLockLost.
    /// </summary>
    public bool Settle(BrokerQueue queue, Guid lockToken, Settlement settlement, IReadOnlyDictionary<string, object?>? properties = null,
        string? reason = null, string? description = null)
    {
        lock (Sync)
        {
            if (!queue.Locked.TryGetValue(lockToken, out var message) || message.LockedUntil <= time.GetUtcNow().UtcDateTime)
            {
                Record("lock-lost", queue.Path, lockToken.ToString());
                return false;
            }
            queue.Locked.Remove(lockToken);
            if (properties is { Count: > 0 } && settlement != Settlement.Complete) message.SetApplicationProperties(properties);
            switch (settlement)
            {
                case Settlement.Complete:
                    Record("completed", queue.Path, message.MessageId);
                    break;
                case Settlement.Defer:
                    queue.Deferred[message.SequenceNumber] = message;
                    Record("deferred", queue.Path, message.MessageId);
                    break;
                case Settlement.DeadLetter:
                    DeadLetter(queue, message, reason, description);
                    break;
                case Settlement.Release:
                    message.DeliveryCount--;
                    queue.Active[message.SequenceNumber] = message;
                    Record("released", queue.Path, message.MessageId);
                    break;
                default:
                    Record("abandoned", queue.Path, message.MessageId);
                    ReturnOrDeadLetter(queue, message);
                    break;
            }
            Dispatch(queue);
            return true;
        }
    }

    /// <summary>Request-response operations: com.microsoft:renew-lock. Null when any lock is unknown or expired.</summary>
    public DateTime[]? RenewLocks(BrokerQueue queue, IReadOnlyList<Guid> lockTokens)
    {
        lock (Sync)
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (lockTokens.Count == 0 || !lockTokens.All(t => queue.Locked.TryGetValue(t, out var m) && m.LockedUntil > now))
            {
                Record("lock-lost", queue.Path, string.Join(",", lockTokens));
                return null;
            }
            return lockTokens.Select(token =>
            {
                var message = queue.Locked[token];
                message.LockedUntil = now + queue.Settings.Lock;
                Record("lock-renewed", queue.Path, message.MessageId);
                return message.LockedUntil;
            }).ToArray();
        }
    }

    /// <summary>Request-response operations: com.microsoft:peek-message — messages from a sequence number on, without locking.</summary>
    public IReadOnlyList<byte[]> Peek(BrokerQueue queue, long fromSequenceNumber, int count)
    {
        lock (Sync)
        {
            var messages = queue.Browse().Where(m => m.SequenceNumber >= fromSequenceNumber).Take(count).ToList();
            Record("peeked", queue.Path, messages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return messages.Select(m => m.ToPeekPayload(locked: queue.Locked.ContainsKey(m.LockToken))).ToList();
        }
    }

    /// <summary>Expires locks (the message comes back, or is dead-lettered past the max delivery count) and enqueues due scheduled messages.</summary>
    public void Sweep()
    {
        lock (Sync)
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var queue in _entities.Values)
            {
                foreach (var message in queue.Locked.Values.Where(m => m.LockedUntil <= now).ToList())
                {
                    queue.Locked.Remove(message.LockToken);
                    Record("lock-expired", queue.Path, message.MessageId);
                    ReturnOrDeadLetter(queue, message);
                }
                foreach (var message in queue.Scheduled.Values.Where(m => m.ScheduledEnqueueTime is not { } at || at <= now).ToList())
                {
                    queue.Scheduled.Remove(message.SequenceNumber);
                    message.EnqueuedTime = now;
                    queue.Active[message.SequenceNumber] = message;
                    Record("enqueued-on-schedule", queue.Path, message.MessageId);
                }
                Dispatch(queue);
            }
        }
    }

    private void ReturnOrDeadLetter(BrokerQueue queue, BrokerMessage message)
    {
        if (queue.DeadLetterQueue is not null && message.DeliveryCount >= queue.Settings.MaxDeliveryCount)
        {
            DeadLetter(queue, message, MaxDeliveryCountExceeded,
                $"Message could not be consumed after {queue.Settings.MaxDeliveryCount} delivery attempts.");
            return;
        }
        queue.Active[message.SequenceNumber] = message;
    }

    private void DeadLetter(BrokerQueue queue, BrokerMessage message, string? reason, string? description)
    {
        if (queue.DeadLetterQueue is not { } deadLetters)
        {
            // A dead-lettered message cannot be dead-lettered again; it stays in the sub-queue.
            queue.Active[message.SequenceNumber] = message;
            return;
        }
        var properties = new Dictionary<string, object?>();
        if (reason is not null) properties["DeadLetterReason"] = reason;
        if (description is not null) properties["DeadLetterErrorDescription"] = description;
        if (properties.Count > 0) message.SetApplicationProperties(properties);
        message.DeadLetterSource = queue.Path;
        deadLetters.Active[message.SequenceNumber] = message;
        Record("dead-lettered", queue.Path, $"{message.MessageId}: {reason}");
        Dispatch(deadLetters);
    }
}
