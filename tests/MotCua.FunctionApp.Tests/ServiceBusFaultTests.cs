using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;
using MotCua.Messaging;
using MotCua.Messaging.ServiceBus;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// The broker goes away while messages flow and comes back: per message, nothing is lost, its work
/// is done once, every copy the broker took is settled once, every extra delivery is one the broker
/// made after a lost lock, and the client finds its way back by itself.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusFaultTests
{
    private const string Queue = "steps";
    private const int Count = 150;

    [Fact]
    public async Task A_broker_outage_mid_flow_loses_nothing_and_does_each_message_s_work_once()
    {
        await using var broker = new LocalServiceBus();
        await broker.StartAsync();
        broker.DeclareQueue(Queue, maxDeliveryCount: 100, lockDuration: TimeSpan.FromSeconds(3));
        await using var client = new ServiceBusClient(broker.ConnectionString, new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions { TryTimeout = TimeSpan.FromSeconds(5), Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1), MaxRetries = 3 },
        });
        await using var transport = new ServiceBusTransport(client, TimeProvider.System, NullLogger<ServiceBusTransport>.Instance);
        // The work is idempotent as the app's steps are: a row per message id, written only if absent.
        var done = new TableClient("UseDevelopmentStorage=true", "f" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)));
        await done.CreateIfNotExistsAsync();
        var deliveries = new ConcurrentDictionary<string, int>();
        var workDone = new ConcurrentDictionary<string, int>();

        using var stop = new CancellationTokenSource();
        var consumer = Task.Run(() => transport.ConsumeAsync(Queue, async (m, ct) =>
        {
            deliveries.AddOrUpdate(m.MessageId, 1, (_, n) => n + 1);
            try
            {
                await done.AddEntityAsync(new TableEntity("done", m.MessageId), ct);
                workDone.AddOrUpdate(m.MessageId, 1, (_, n) => n + 1);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
            }
        }, new MessagePumpOptions { MaxConcurrency = 4, MaxDeliveryCount = 100, RetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(200) }, stop.Token));

        // The producer keeps going through the outage, sending again whatever the broker did not
        // confirm, so messages are in flight when the broker goes and arrive after it is back.
        Task? outage = null;
        for (var sent = 0; sent < Count;)
        {
            if (sent == Count / 3 && outage is null)
                outage = Task.Run(async () => { await broker.StopAsync(); await Task.Delay(TimeSpan.FromSeconds(2)); await broker.StartAsync(); });
            try
            {
                await transport.SendAsync(Queue, new OutgoingMessage($"m-{sent}", "step", BinaryData.FromString($"{{\"n\":{sent}}}")), CancellationToken.None);
                sent++;
            }
            catch (Exception e) when (e is ServiceBusException or TimeoutException or OperationCanceledException or ObjectDisposedException)
            {
                await Task.Delay(200);
            }
            await Task.Delay(10);
        }
        await outage!;
        var ids = Enumerable.Range(0, Count).Select(i => $"m-{i}").ToList();
        await Eventually.GetAsync(() => Task.FromResult(ids.All(workDone.ContainsKey) ? "" : null), "every message's work", seconds: 120);
        await Eventually.GetAsync(() => Task.FromResult(broker.Unsettled(Queue) == 0 ? "" : null), "every message settled", seconds: 60);
        await stop.CancelAsync();
        await consumer;

        var events = broker.Events.Where(e => e.Entity == Queue).ToList();
        int Seen(string kind, string id) => events.Count(e => e.Kind == kind && e.Detail == id);
        Assert.Contains(broker.Events, e => e.Kind == "connection-dropped");
        var rows = new List<string>();
        await foreach (var row in done.QueryAsync<TableEntity>()) rows.Add(row.RowKey);
        Assert.Equal(ids.Order(), rows.Order());
        Assert.All(ids, id =>
        {
            Assert.Equal(1, workDone[id]);
            // Every copy the broker took (a send it confirmed late may have been sent again) was completed exactly once.
            Assert.Equal(Seen("sent", id), Seen("completed", id));
            // A delivery beyond the copies is one the broker made again after a lock ran out or was given back.
            Assert.InRange(deliveries[id], 1, Seen("sent", id) + Seen("lock-expired", id) + Seen("abandoned", id));
        });
        // The outage touched only what was in flight: most messages were delivered exactly once.
        Assert.True(ids.Count(id => deliveries[id] > 1) < Count / 3, $"{ids.Count(id => deliveries[id] > 1)} messages were delivered more than once");
        // Messages sent after the broker came back were delivered on connections the client opened by itself.
        Assert.Contains(events, e => e.Kind == "completed" && e.Detail == $"m-{Count - 1}");
        Assert.Equal(0, broker.DeadLetterCounts(Queue).Active);
        await done.DeleteAsync();
    }
}
