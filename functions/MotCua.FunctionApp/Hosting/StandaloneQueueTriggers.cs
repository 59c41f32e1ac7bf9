using System.Text.Json;
using Microsoft.Extensions.Options;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// Standalone mode: one message pump per queue-triggered function, and one for blob-created
/// events, each turning a message into the invocation the Functions host would send.
/// </summary>
public sealed class StandaloneQueueTriggers(
    IMessageTransport transport,
    IEnumerable<IFunctionHandler> handlers,
    IOptions<MessagePumpOptions> pumpOptions,
    TimeProvider time) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pumps = new List<Task>();
        foreach (var handler in handlers)
        {
            switch (handler.Function.Trigger)
            {
                case QueueTrigger queue:
                    pumps.Add(Pump(queue.Queue, (m, ct) => handler.InvokeAsync(StandaloneInvocations.ForQueueMessage(m, time.GetUtcNow()), ct), stoppingToken));
                    break;
                case BlobCreatedTrigger:
                    // Azurite has no Event Grid: the uploader queues the event (see BlobCreatedEvents) and this pump delivers it.
                    pumps.Add(Pump(QueueNames.BlobCreated, (m, ct) => handler.InvokeAsync(
                        StandaloneInvocations.ForEvent(JsonElement.Parse(m.Body.ToMemory().Span), handler.Function.Name, time.GetUtcNow()), ct), stoppingToken));
                    break;
            }
        }
        return Task.WhenAll(pumps);
    }

    private Task Pump(string queue, Func<ReceivedMessage, CancellationToken, Task> invoke, CancellationToken stoppingToken) =>
        Task.Run(() => transport.ConsumeAsync(queue, invoke, pumpOptions.Value, stoppingToken), CancellationToken.None);
}
