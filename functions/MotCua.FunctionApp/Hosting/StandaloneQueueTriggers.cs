using System.Text.Json;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Outbox;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// Standalone mode: one message pump per queue function, and one per blob-created function on the
/// queue its events travel on (Azurite has no Event Grid: the uploader queues the event through the
/// outbox, see BlobCreatedEvents). Each pump calls the handler directly.
/// </summary>
public sealed class StandaloneQueueTriggers(
    IMessageTransport transport,
    FunctionRegistry registry,
    IServiceProvider services,
    IOptions<MessagePumpOptions> pumpOptions) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pumps = new List<Task>();
        foreach (var function in registry.Triggered)
        {
            switch (function)
            {
                case QueueFunction queue:
                    pumps.Add(Pump(queue.Queue, (m, ct) => queue.HandleAsync(services, Read(m), ct), stoppingToken));
                    break;
                case BlobCreatedFunction blob:
                    pumps.Add(Pump(QueueNames.BlobCreated, (m, ct) => ReadEvent(m) is { } created
                        ? blob.HandleAsync(services, created, TraceParent(m), ct)
                        : Task.CompletedTask, stoppingToken));
                    break;
            }
        }
        return Task.WhenAll(pumps);
    }

    private static QueueMessage<BinaryData> Read(ReceivedMessage m) =>
        new(m.MessageId, m.Subject, m.CorrelationId, TraceParent(m), m.DeliveryCount, m.EnqueuedAt, m.Body);

    private static string? TraceParent(ReceivedMessage m) => m.Properties.GetValueOrDefault(MessageProperties.TraceParent);

    private static BlobCreated? ReadEvent(ReceivedMessage m)
    {
        JsonElement gridEvent;
        try
        {
            gridEvent = JsonElement.Parse(m.Body.ToMemory().Span);
        }
        catch (JsonException e)
        {
            throw new UnreadableMessageException($"Message {m.MessageId} is not an Event Grid event: {e.Message}", e);
        }
        return EventGridBlobEvents.Read(gridEvent);
    }

    private Task Pump(string queue, Func<ReceivedMessage, CancellationToken, Task> handle, CancellationToken stoppingToken) =>
        Task.Run(() => transport.ConsumeAsync(queue, handle, pumpOptions.Value, stoppingToken), CancellationToken.None);
}
