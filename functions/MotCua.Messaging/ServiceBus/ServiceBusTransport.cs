using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Amqp;
using Microsoft.Extensions.Logging;
using MotCua.Messaging.StorageQueues;

namespace MotCua.Messaging.ServiceBus;

/// <summary>
/// Azure Service Bus over AMQP 1.0 (AMQPNetLite): peek-lock receivers with prefetch, sends that wait
/// for the broker's acceptance, settlement on the link that locked the message, lock renewal, and a
/// connection that is opened again when lost. Broker differences are in <see cref="AmqpDialect"/>.
/// Queue names get <paramref name="queuePrefix"/> in front.
/// </summary>
public sealed class ServiceBusTransport : IMessageTransport, IAsyncDisposable
{
    private static readonly TimeSpan FirstMessageWait = TimeSpan.FromMilliseconds(500);
    // AMQPNetLite waits forever on a zero timeout; the shortest real one takes only what is buffered.
    private static readonly TimeSpan AlreadyBuffered = TimeSpan.FromMilliseconds(1);
    private readonly ServiceBusOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _queuePrefix;
    private readonly AmqpDialect _dialect;
    private readonly AmqpLinks _links;
    private readonly ConcurrentDictionary<string, AmqpDelivery> _locked = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentDictionary<Task, bool> _delayedAbandons = new();
    private readonly ConcurrentDictionary<ReceiverLink, int> _arrivedOfBatch = new();
    private readonly HttpClient? _ownedHttp;

    public ServiceBusTransport(ServiceBusOptions options, TimeProvider time, ILogger<ServiceBusTransport> logger, string queuePrefix = "",
        HttpClient? managementHttp = null, Action<ConnectionFactory>? configureFactory = null)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _queuePrefix = queuePrefix;
        var endpoint = ServiceBusConnection.Parse(options.ConnectionString);
        if (options.Broker == AmqpBroker.RabbitMq && managementHttp is null) _ownedHttp = managementHttp = new HttpClient();
        _dialect = options.Broker == AmqpBroker.RabbitMq ? new RabbitMqDialect(endpoint, options, managementHttp!) : new AmqpDialect();
        _links = new AmqpLinks(endpoint, _dialect, options, time, logger, configureFactory);
    }

    /// <summary>How many times the connection was lost and opened again.</summary>
    public int Reconnects => _links.Reconnects;

    public Task EnsureQueueAsync(string queue, CancellationToken cancellationToken) =>
        _dialect.EnsureQueueAsync(_queuePrefix + queue, cancellationToken);

    public Task ConsumeAsync(string queue, Func<ReceivedMessage, CancellationToken, Task> handle, MessagePumpOptions options, CancellationToken stopping) =>
        new MessagePump(this, queue, handle, options, _logger).RunAsync(stopping);

    public Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return _dialect.SendAsync(_links, _queuePrefix + queue, AmqpMessages.From(message, now), message.ScheduledEnqueueTime, now, cancellationToken);
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var name = _queuePrefix + queue;
        var link = await _links.ReceiverAsync(_dialect.EntityAddress(name), _options.Prefetch, cancellationToken);
        var received = new List<ReceivedMessage>();
        try
        {
            // Wait briefly for the first message, then take only what the prefetch already holds.
            var next = await link.ReceiveAsync(FirstMessageWait).WaitAsync(cancellationToken);
            while (next is not null)
            {
                CountArrival(link);
                var delivery = new AmqpDelivery(name, link, next, _dialect.LockToken(next));
                try
                {
                    if (await _dialect.IsDueAsync(_links, delivery, _time.GetUtcNow(), cancellationToken)
                        && await ToReceivedAsync(queue, delivery, lockDuration, cancellationToken) is { } message)
                    {
                        received.Add(message);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Hand back the one that failed and return those already locked, rather than strand them.
                    ReleaseQuietly(link, next);
                    if (received.Count == 0) throw;
                    break;
                }
                if (received.Count >= maxMessages) break;
                next = await link.ReceiveAsync(AlreadyBuffered);
            }
        }
        catch (Exception e) when (e is AmqpException or ObjectDisposedException)
        {
            _links.Forget(link);
            _arrivedOfBatch.TryRemove(link, out _);
            if (received.Count == 0) throw;
        }
        return received;
    }

    public Task CompleteAsync(ReceivedMessage message, CancellationToken cancellationToken)
    {
        var delivery = Take(message);
        delivery.Link.Accept(delivery.Message);
        return Task.CompletedTask;
    }

    public Task<ReceivedMessage> AbandonAsync(ReceivedMessage message, TimeSpan delay, CancellationToken cancellationToken)
    {
        var delivery = Take(message);
        if (delay <= TimeSpan.Zero)
        {
            return AbandonNowAsync(delivery, message, cancellationToken);
        }
        // Neither broker delays an abandon, so the message stays locked (renewed where locks expire)
        // until its retry is due. A crash meanwhile only makes it come back sooner.
        var hold = HoldThenAbandonAsync(delivery, message, delay, _closing.Token);
        _delayedAbandons[hold] = true;
        _ = hold.ContinueWith(t => _delayedAbandons.TryRemove(t, out _), TaskScheduler.Default);
        return Task.FromResult(message with { LockToken = string.Empty });
    }

    public async Task<ReceivedMessage> RenewLockAsync(ReceivedMessage message, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var delivery = Locked(message);
        var until = await _dialect.RenewLockAsync(_links, delivery, _time.GetUtcNow(), lockDuration, cancellationToken);
        return message with { LockedUntil = until };
    }

    public async Task DeadLetterAsync(ReceivedMessage message, string reason, string description, CancellationToken cancellationToken)
    {
        var delivery = Take(message);
        await _dialect.DeadLetterAsync(_links, delivery, reason, description, _time.GetUtcNow(), cancellationToken);
    }

    public async Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(string queue, int maxMessages, CancellationToken cancellationToken)
    {
        var dead = new List<DeadLetter>();
        var peeked = new List<Message>();
        await WithDeadLettersAsync(queue, maxMessages, (link, message) =>
        {
            var delivery = new AmqpDelivery(_queuePrefix + queue, link, message, string.Empty);
            var text = AmqpMessages.BodyText(message);
            var received = Map(queue, delivery, TimeSpan.Zero, text, ReadableEnvelope(message, text));
            var at = long.TryParse(AmqpMessages.Property(message, RabbitMqDialect.DeadLetteredAtProperty), CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : received.EnqueuedAt;
            dead.Add(new DeadLetter(queue, received, AmqpMessages.Property(message, AmqpMessages.DeadLetterReason) ?? "Unknown",
                AmqpMessages.Property(message, AmqpMessages.DeadLetterDescription) ?? string.Empty, at));
            // Held until the end: a message given back now would be delivered to this link again.
            peeked.Add(message);
            return Task.CompletedTask;
        }, link => peeked.ForEach(link.Release), cancellationToken);
        return dead;
    }

    public async Task<int> ReplayDeadLettersAsync(string queue, int maxMessages, CancellationToken cancellationToken)
    {
        var moved = 0;
        await WithDeadLettersAsync(queue, maxMessages, async (link, message) =>
        {
            var original = AmqpMessages.Copy(message, p =>
            {
                foreach (var key in new[] { AmqpMessages.DeadLetterReason, AmqpMessages.DeadLetterDescription })
                    p.Remove(key);
                foreach (var key in p.Keys.OfType<string>().Where(_dialect.IsOwnProperty).ToList())
                    p.Remove(key);
            });
            // Copy back first, then accept: a crash in between replays twice, never loses.
            await _dialect.SendAsync(_links, _queuePrefix + queue, original, null, _time.GetUtcNow(), cancellationToken);
            link.Accept(message);
            moved++;
        }, _ => { }, cancellationToken);
        return moved;
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        await Task.WhenAll(_delayedAbandons.Keys);
        await _links.DisposeAsync();
        _closing.Dispose();
        _ownedHttp?.Dispose();
    }

    private async Task<ReceivedMessage?> ToReceivedAsync(string queue, AmqpDelivery delivery, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var text = AmqpMessages.BodyText(delivery.Message);
        QueueEnvelope envelope;
        try
        {
            envelope = QueueEnvelope.Parse(text);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // Not ours or damaged: no handler can use it.
            await _dialect.DeadLetterAsync(_links, delivery, "UnreadableEnvelope", "The message is not a MotCua JSON envelope.", _time.GetUtcNow(), cancellationToken);
            return null;
        }
        var message = Map(queue, delivery, lockDuration, text, envelope);
        _locked[message.LockToken] = delivery;
        return message;
    }

    private static QueueEnvelope ReadableEnvelope(Message message, string text)
    {
        try
        {
            return QueueEnvelope.Parse(text);
        }
        catch (JsonException)
        {
            return new QueueEnvelope(message.Properties?.MessageId ?? "unknown", "unreadable", null, null, JsonSerializer.SerializeToElement(text));
        }
    }

    private ReceivedMessage Map(string queue, AmqpDelivery delivery, TimeSpan lockDuration, string text, QueueEnvelope envelope)
    {
        var amqp = delivery.Message;
        var now = _time.GetUtcNow();
        var sequence = AmqpMessages.Annotation<long>(amqp, AmqpMessages.SequenceNumber);
        var enqueued = AmqpMessages.Time(AmqpMessages.Annotation<DateTime>(amqp, AmqpMessages.EnqueuedTime))
            ?? AmqpMessages.Time(amqp.Properties?.CreationTime ?? default) ?? now;
        return new ReceivedMessage(queue, amqp.Properties?.MessageId ?? envelope.MessageId, amqp.Properties?.Subject ?? envelope.Subject,
            BinaryData.FromString(envelope.Body.GetRawText()), amqp.Properties?.CorrelationId ?? envelope.CorrelationId,
            AmqpMessages.StringProperties(amqp, key => !_dialect.IsOwnProperty(key) && key is not (AmqpMessages.DeadLetterReason or AmqpMessages.DeadLetterDescription)),
            _dialect.DeliveryCount(amqp), enqueued, AmqpMessages.Time(amqp.Properties?.AbsoluteExpiryTime ?? default),
            sequence != 0 ? sequence.ToString(CultureInfo.InvariantCulture) : amqp.Properties?.MessageId ?? envelope.MessageId,
            delivery.LockToken)
        {
            RawText = text,
            LockedUntil = _dialect.LockedUntil(amqp, now, lockDuration),
        };
    }

    private async Task<ReceivedMessage> AbandonNowAsync(AmqpDelivery delivery, ReceivedMessage message, CancellationToken cancellationToken)
    {
        await _dialect.AbandonAsync(_links, delivery, message.DeliveryCount, cancellationToken);
        return message with { LockToken = string.Empty };
    }

    private async Task HoldThenAbandonAsync(AmqpDelivery delivery, ReceivedMessage message, TimeSpan delay, CancellationToken closing)
    {
        try
        {
            var due = _time.GetUtcNow() + delay;
            var lockedUntil = message.LockedUntil;
            var lockDuration = TimeSpan.FromTicks(Math.Max((message.LockedUntil - _time.GetUtcNow()).Ticks, TimeSpan.FromSeconds(1).Ticks));
            while (_time.GetUtcNow() < due)
            {
                var now = _time.GetUtcNow();
                var renewAt = _dialect.LocksExpire ? now + (lockedUntil - now) / 2 : due;
                var wait = (renewAt < due ? renewAt : due) - now;
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, closing);
                if (_dialect.LocksExpire && _time.GetUtcNow() < due)
                    lockedUntil = await _dialect.RenewLockAsync(_links, delivery, _time.GetUtcNow(), lockDuration, closing);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down: give it back at once rather than hold the link open.
        }
        try
        {
            await _dialect.AbandonAsync(_links, delivery, message.DeliveryCount, CancellationToken.None);
        }
        catch (Exception e)
        {
            AmqpLog.DelayedAbandonFailed(_logger, message.Queue, message.MessageId, e);
        }
    }

    private async Task WithDeadLettersAsync(string queue, int maxMessages, Func<ReceiverLink, Message, Task> each, Action<ReceiverLink> done,
        CancellationToken cancellationToken)
    {
        var address = _dialect.DeadLetterAddress(_queuePrefix + queue);
        var link = await _links.ReceiverAsync(address, Math.Clamp(maxMessages, 1, 500), cancellationToken);
        try
        {
            var handled = 0;
            var next = await link.ReceiveAsync(FirstMessageWait).WaitAsync(cancellationToken);
            while (next is not null && handled < maxMessages)
            {
                await each(link, next);
                handled++;
                next = handled < maxMessages ? await link.ReceiveAsync(TimeSpan.FromMilliseconds(100)) : null;
            }
            if (next is not null) link.Release(next);
            done(link);
        }
        finally
        {
            // A dead-letter link holds what it prefetched; closing it gives those back.
            _links.Forget(link);
            await link.Session.CloseAsync();
        }
    }

    private static void ReleaseQuietly(ReceiverLink link, Message message)
    {
        try
        {
            link.Release(message);
        }
        catch (Exception e) when (e is AmqpException or ObjectDisposedException or InvalidOperationException)
        {
            // The link is gone, and the broker gives the message back with it.
        }
    }

    private void CountArrival(ReceiverLink link)
    {
        if (!_dialect.GrantsCreditInBatches) return;
        if (_arrivedOfBatch.AddOrUpdate(link, 1, (_, n) => n + 1) < _options.Prefetch) return;
        _arrivedOfBatch[link] = 0;
        link.SetCredit(_options.Prefetch, CreditMode.Manual);
    }

    private AmqpDelivery Take(ReceivedMessage message) =>
        _locked.TryRemove(message.LockToken, out var delivery)
            ? delivery
            : throw new InvalidOperationException($"Message {message.MessageId} is not locked by this transport (already settled, or its link was lost).");

    private AmqpDelivery Locked(ReceivedMessage message) =>
        _locked.TryGetValue(message.LockToken, out var delivery)
            ? delivery
            : throw new InvalidOperationException($"Message {message.MessageId} is not locked by this transport (already settled, or its link was lost).");
}
