using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MotCua.Messaging.StorageQueues;

/// <summary>A storage queue message under its visibility lock: the pop receipt settles it.</summary>
public sealed record LockedQueueMessage(ReceivedMessage Message, string QueueMessageId, string PopReceipt, DateTimeOffset LockedUntil);

/// <summary>
/// Azure Storage Queues as a transport: the visibility timeout is the lock, the dequeue count is the
/// delivery count, an initial visibility delay schedules, and <c>&lt;queue&gt;-poison</c> holds dead
/// letters, as the Functions host does. Queue names get <paramref name="queuePrefix"/> in front.
/// </summary>
public sealed class StorageQueueTransport(QueueServiceClient service, TimeProvider time, string queuePrefix = "", ILogger? logger = null) : IMessageTransport
{
    public const string PoisonSuffix = "-poison";
    private const int MaxBatch = 32;
    private readonly ConcurrentDictionary<string, QueueClient> _queues = new();
    private readonly ConcurrentDictionary<string, SendSignal> _sent = new();

    /// <summary>Creates the queue and its poison queue; Azurite starts empty, and creating is cheap when they exist.</summary>
    public async Task EnsureQueueAsync(string queue, CancellationToken cancellationToken)
    {
        await Client(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await Client(queue + PoisonSuffix).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public async Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var delay = message.ScheduledEnqueueTime is { } at ? at - time.GetUtcNow() : TimeSpan.Zero;
        await Client(queue).SendMessageAsync(QueueEnvelope.From(message).ToText(),
            visibilityTimeout: delay > TimeSpan.Zero ? delay : null, cancellationToken: cancellationToken);
        if (delay <= TimeSpan.Zero) Signal(queue).Fire();
    }

    /// <summary>
    /// Completes at the next send to <paramref name="queue"/> from this process: a pump of the same process
    /// at rest then looks at once instead of at its next poll. Pumps of other processes still poll.
    /// </summary>
    internal Task NextSendHereAsync(string queue) => Signal(queue).Next;

    private SendSignal Signal(string queue) => _sent.GetOrAdd(queue, _ => new SendSignal());

    private sealed class SendSignal
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Next => Volatile.Read(ref _next).Task;

        public void Fire() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public Task ConsumeAsync(string queue, Func<ReceivedMessage, CancellationToken, Task> handle, MessagePumpOptions options, CancellationToken stopping) =>
        new StorageQueuePump(this, queue, handle, options, logger ?? NullLogger.Instance).RunAsync(stopping);

    public async Task<IReadOnlyList<LockedQueueMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var response = await Client(queue).ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, MaxBatch), lockDuration, cancellationToken);
        var received = new List<LockedQueueMessage>(response.Value.Length);
        foreach (var m in response.Value)
        {
            var text = m.Body.ToString();
            QueueEnvelope envelope;
            try
            {
                envelope = QueueEnvelope.Parse(text);
            }
            catch (JsonException)
            {
                // Not ours or damaged: no handler can use it, so it goes straight to the dead letters.
                envelope = new QueueEnvelope(m.MessageId, "unreadable", null, null, JsonSerializer.SerializeToElement(text));
                var unreadable = ToReceived(queue, m, envelope);
                await DeadLetterAsync(unreadable, "UnreadableEnvelope", "The message is not a MotCua JSON envelope.", cancellationToken);
                continue;
            }
            received.Add(ToReceived(queue, m, envelope));
        }
        return received;
    }

    public Task CompleteAsync(LockedQueueMessage locked, CancellationToken cancellationToken) =>
        Client(locked.Message.Queue).DeleteMessageAsync(locked.QueueMessageId, locked.PopReceipt, cancellationToken);

    /// <summary>Gives the message back, to be delivered again after <paramref name="delay"/>.</summary>
    public Task<LockedQueueMessage> AbandonAsync(LockedQueueMessage locked, TimeSpan delay, CancellationToken cancellationToken) =>
        UpdateVisibilityAsync(locked, delay, cancellationToken);

    public Task<LockedQueueMessage> RenewLockAsync(LockedQueueMessage locked, TimeSpan lockDuration, CancellationToken cancellationToken) =>
        UpdateVisibilityAsync(locked, lockDuration, cancellationToken);

    public async Task DeadLetterAsync(LockedQueueMessage locked, string reason, string description, CancellationToken cancellationToken)
    {
        var message = locked.Message;
        var envelope = EnvelopeOf(message) with
        {
            DeadLetterReason = reason,
            DeadLetterDescription = description,
            DeadLetteredAt = time.GetUtcNow(),
            DeliveryCount = message.DeliveryCount,
        };
        // Copy first, then delete: a crash in between leaves a duplicate dead letter, never a lost one.
        await Client(message.Queue + PoisonSuffix).SendMessageAsync(envelope.ToText(), cancellationToken: cancellationToken);
        await Client(message.Queue).DeleteMessageAsync(locked.QueueMessageId, locked.PopReceipt, cancellationToken);
    }

    public async Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(string queue, int maxMessages, CancellationToken cancellationToken)
    {
        var poison = queue + PoisonSuffix;
        var peeked = await Client(poison).PeekMessagesAsync(Math.Clamp(maxMessages, 1, MaxBatch), cancellationToken);
        return peeked.Value.Select(m =>
        {
            var text = m.Body.ToString();
            var envelope = QueueEnvelope.Parse(text);
            var message = new ReceivedMessage(queue, envelope.MessageId, envelope.Subject, BinaryData.FromString(envelope.Body.GetRawText()),
                envelope.CorrelationId, envelope.Properties ?? [], envelope.DeliveryCount ?? (int)m.DequeueCount, m.InsertedOn ?? time.GetUtcNow());
            return new DeadLetter(queue, message, envelope.DeadLetterReason ?? "Unknown", envelope.DeadLetterDescription ?? string.Empty,
                envelope.DeadLetteredAt ?? m.InsertedOn ?? time.GetUtcNow());
        }).ToList();
    }

    public async Task<int> ReplayDeadLettersAsync(string queue, int maxMessages, CancellationToken cancellationToken)
    {
        var poison = Client(queue + PoisonSuffix);
        // A replayed message that fails again at once comes back here while the replay still runs: it is
        // replayed once per call, and left for the next.
        var replayed = new HashSet<string>(StringComparer.Ordinal);
        while (replayed.Count < maxMessages)
        {
            var batch = await poison.ReceiveMessagesAsync(Math.Min(MaxBatch, maxMessages - replayed.Count), TimeSpan.FromMinutes(1), cancellationToken);
            if (batch.Value.Length == 0) break;
            foreach (var m in batch.Value)
            {
                var letter = QueueEnvelope.Parse(m.Body.ToString());
                if (!replayed.Add(letter.MessageId))
                {
                    foreach (var unsent in batch.Value.SkipWhile(l => l != m))
                        await poison.UpdateMessageAsync(unsent.MessageId, unsent.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken);
                    return replayed.Count;
                }
                var original = letter with { DeadLetterReason = null, DeadLetterDescription = null, DeadLetteredAt = null, DeliveryCount = null };
                await Client(queue).SendMessageAsync(original.ToText(), cancellationToken: cancellationToken);
                await poison.DeleteMessageAsync(m.MessageId, m.PopReceipt, cancellationToken);
            }
        }
        return replayed.Count;
    }

    private async Task<LockedQueueMessage> UpdateVisibilityAsync(LockedQueueMessage locked, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var updated = await Client(locked.Message.Queue).UpdateMessageAsync(locked.QueueMessageId, locked.PopReceipt,
            visibilityTimeout: visibility, cancellationToken: cancellationToken);
        return locked with { PopReceipt = updated.Value.PopReceipt, LockedUntil = updated.Value.NextVisibleOn };
    }

    private static QueueEnvelope EnvelopeOf(ReceivedMessage message) =>
        new(message.MessageId, message.Subject, message.CorrelationId, message.Properties.ToDictionary(),
            JsonElement.Parse(message.Body.ToMemory().Span));

    private static LockedQueueMessage ToReceived(string queue, QueueMessage m, QueueEnvelope envelope) =>
        new(new ReceivedMessage(queue, envelope.MessageId, envelope.Subject, BinaryData.FromString(envelope.Body.GetRawText()), envelope.CorrelationId,
                envelope.Properties ?? [], (int)m.DequeueCount, m.InsertedOn ?? DateTimeOffset.MinValue),
            m.MessageId, m.PopReceipt, m.NextVisibleOn ?? DateTimeOffset.MinValue);

    private QueueClient Client(string queue) =>
        _queues.GetOrAdd(queue, name => service.GetQueueClient(queuePrefix + name));
}
