using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;

namespace MotCua.Messaging.ServiceBus;

/// <summary>
/// Azure Service Bus through the official client: a sender per queue, a processor per consumed
/// queue (<see cref="ServiceBusQueueConsumer"/>), and the dead-letter sub-queue for the admins.
/// Queue names get <paramref name="queuePrefix"/> in front. The client is registered by the host
/// (connection string or namespace with a credential) and reconnects by itself.
/// </summary>
public sealed class ServiceBusTransport(ServiceBusClient client, TimeProvider time, ILogger<ServiceBusTransport> logger, string queuePrefix = "")
    : IMessageTransport, IAsyncDisposable
{
    private const int MaxBatch = 32;
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new();

    public Task SendAsync(string queue, OutgoingMessage message, CancellationToken cancellationToken) =>
        Sender(queue).SendMessageAsync(ServiceBusMessages.ToServiceBus(message), cancellationToken);

    public Task ConsumeAsync(string queue, Func<ReceivedMessage, CancellationToken, Task> handle, MessagePumpOptions options, CancellationToken stopping) =>
        new ServiceBusQueueConsumer(client, Sender(queue), queuePrefix + queue, queue, handle, options, time, logger).RunAsync(stopping);

    public async Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(string queue, int maxMessages, CancellationToken cancellationToken)
    {
        await using var receiver = DeadLetterReceiver(queue);
        var letters = await receiver.PeekMessagesAsync(Math.Clamp(maxMessages, 1, MaxBatch), cancellationToken: cancellationToken);
        return letters.Select(letter => ServiceBusMessages.ToDeadLetter(queue, letter)).ToList();
    }

    public async Task<int> ReplayDeadLettersAsync(string queue, int maxMessages, CancellationToken cancellationToken)
    {
        await using var receiver = DeadLetterReceiver(queue);
        // A replayed message that fails again at once comes back here while the replay still runs: it is
        // replayed once per call, and left for the next.
        var replayed = new HashSet<string>(StringComparer.Ordinal);
        while (replayed.Count < maxMessages)
        {
            var batch = await receiver.ReceiveMessagesAsync(Math.Min(MaxBatch, maxMessages - replayed.Count), TimeSpan.FromSeconds(1), cancellationToken);
            if (batch.Count == 0) break;
            foreach (var letter in batch)
            {
                if (!replayed.Add(letter.MessageId))
                {
                    foreach (var unsent in batch.SkipWhile(l => l != letter)) await receiver.AbandonMessageAsync(unsent, cancellationToken: cancellationToken);
                    return replayed.Count;
                }
                // Send first, then complete: a crash in between replays a letter twice, never loses one.
                await Sender(queue).SendMessageAsync(ServiceBusMessages.Replay(letter), cancellationToken);
                await receiver.CompleteMessageAsync(letter, cancellationToken);
            }
        }
        return replayed.Count;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values) await sender.DisposeAsync();
    }

    private ServiceBusReceiver DeadLetterReceiver(string queue) =>
        client.CreateReceiver(queuePrefix + queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });

    private ServiceBusSender Sender(string queue) => _senders.GetOrAdd(queue, name => client.CreateSender(queuePrefix + name));
}
