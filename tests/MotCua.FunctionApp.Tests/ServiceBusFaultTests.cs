using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.Messaging;
using MotCua.Messaging.ServiceBus;

namespace MotCua.FunctionApp.Tests;

/// <summary>The broker restarts while messages flow: nothing is lost, each message's work is done once, and the consumer carries on by itself.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusFaultTests
{
    private const string Queue = "steps";
    /// <summary>At least this many messages; more while the broker is still restarting.</summary>
    private const int Count = 150;

    [Fact]
    public async Task A_broker_restart_mid_flow_loses_nothing_and_each_message_is_handled_once()
    {
        var prefix = "f" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        await using var transport = new ServiceBusTransport(RabbitMq.Options(), TimeProvider.System, NullLogger<ServiceBusTransport>.Instance, prefix);
        await transport.EnsureQueueAsync(Queue, CancellationToken.None);
        // The handler's work is idempotent as the app's are: a row per message id, written only if absent.
        var done = new TableClient("UseDevelopmentStorage=true", prefix + "done");
        await done.CreateIfNotExistsAsync();
        var deliveries = new ConcurrentDictionary<string, int>();
        var workDone = 0;

        using var stop = new CancellationTokenSource();
        var pump = new MessagePump(transport, Queue, async (m, ct) =>
        {
            deliveries.AddOrUpdate(m.MessageId, 1, (_, n) => n + 1);
            try
            {
                await done.AddEntityAsync(new TableEntity("done", m.MessageId), ct);
                Interlocked.Increment(ref workDone);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
            }
        }, new MessagePumpOptions
        {
            MaxConcurrency = 4, MaxDeliveryCount = 100, RetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(200),
            MinPollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(200),
        }, NullLogger.Instance).RunAsync(stop.Token);

        // The producer keeps going through the outage and after it, sending again whatever the broker
        // did not confirm, so messages are in flight when the broker goes and arrive after it is back.
        var restart = Task.CompletedTask;
        var sent = 0;
        while (sent < Count || !restart.IsCompleted)
        {
            if (sent == Count / 3) restart = RabbitMq.RestartAsync();
            try
            {
                await transport.SendAsync(Queue, new OutgoingMessage($"m-{sent}", "step", BinaryData.FromString($"{{\"n\":{sent}}}")), CancellationToken.None);
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Task.Delay(200);
            }
            if (sent > Count / 3) await Task.Delay(20);
        }
        await restart;
        await Eventually.GetAsync(() => Task.FromResult(deliveries.Count == sent ? "" : null), "every message handled", seconds: 120);
        await Eventually.GetAsync(async () => await RabbitMq.MessagesAsync(prefix + Queue) == 0 ? "" : null, "the queue to empty", seconds: 60);
        await stop.CancelAsync();
        await pump;

        var rows = new List<string>();
        await foreach (var row in done.QueryAsync<TableEntity>()) rows.Add(row.RowKey);
        Assert.Equal(Enumerable.Range(0, sent).Select(i => $"m-{i}").Order(), rows.Order());
        Assert.Equal(sent, workDone);
        Assert.True(transport.Reconnects >= 1, "the transport should have reconnected on its own");
        Assert.Equal(0, await RabbitMq.MessagesAsync(prefix + Queue + RabbitMqDialect.DeadLetterSuffix));
        await done.DeleteAsync();
    }
}
