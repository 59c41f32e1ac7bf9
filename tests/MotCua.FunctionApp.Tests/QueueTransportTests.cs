using System.Collections.Concurrent;
using System.Security.Cryptography;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// What every queue transport must do, run against each one on its real broker or its local peer
/// (<see cref="StorageQueueTransportTests"/>, <see cref="ServiceBusTransportTests"/>).
/// </summary>
public abstract class QueueTransportTests : IAsyncLifetime
{
    protected const string Queue = "steps";
    private readonly List<IMessageTransport> _transports = [];
    private readonly List<(CancellationTokenSource Stop, Task Consumer)> _consumers = [];

    /// <summary>A transport whose queue names start with <paramref name="prefix"/>, with <see cref="Queue"/> in place.</summary>
    protected abstract Task<IMessageTransport> CreateTransportAsync(string prefix);

    /// <summary>Messages on the queue, ready, locked or scheduled, as the broker counts them.</summary>
    protected abstract Task<long> QueuedAsync(string prefix);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (stop, consumer) in _consumers)
        {
            await stop.CancelAsync();
            await consumer;
        }
        foreach (var transport in _transports.OfType<IAsyncDisposable>()) await transport.DisposeAsync();
    }

    protected async Task<(IMessageTransport Transport, string Prefix)> NewTransportAsync()
    {
        var prefix = "q" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var transport = await CreateTransportAsync(prefix);
        _transports.Add(transport);
        return (transport, prefix);
    }

    protected static OutgoingMessage Message(string id = "m-1", DateTimeOffset? at = null) => new(id, "step", BinaryData.FromString("{\"n\":1}"),
        CorrelationId: "dossier-1", Properties: new Dictionary<string, string> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
        ScheduledEnqueueTime: at);

    protected static MessagePumpOptions FastPump(int maxDeliveries = 2) => new()
    {
        MaxDeliveryCount = maxDeliveries, LockDuration = TimeSpan.FromSeconds(30), RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(100), MinPollInterval = TimeSpan.FromMilliseconds(20),
        MaxPollInterval = TimeSpan.FromMilliseconds(100), ShutdownGrace = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>Consumes <see cref="Queue"/> until the test stops it or ends.</summary>
    protected Func<Task> Consume(IMessageTransport transport, Func<ReceivedMessage, CancellationToken, Task> handle, MessagePumpOptions? options = null)
    {
        var stop = new CancellationTokenSource();
        var consumer = Task.Run(() => transport.ConsumeAsync(Queue, handle, options ?? FastPump(), stop.Token));
        _consumers.Add((stop, consumer));
        return async () =>
        {
            await stop.CancelAsync();
            await consumer;
        };
    }

    private Task EmptyAsync(string prefix) =>
        Eventually.GetAsync(async () => await QueuedAsync(prefix) == 0 ? "" : null, "the queue to be empty");

    [Fact]
    public async Task A_message_arrives_with_its_ids_properties_and_body_and_is_gone_once_handled()
    {
        var (transport, prefix) = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);
        var received = new TaskCompletionSource<ReceivedMessage>();
        var stop = Consume(transport, (m, _) => { received.TrySetResult(m); return Task.CompletedTask; });

        var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(("m-1", "step", "dossier-1", 1, Queue), (message.MessageId, message.Subject, message.CorrelationId, message.DeliveryCount, message.Queue));
        Assert.Equal("{\"n\":1}", message.Body.ToString());
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", message.Properties["traceparent"]);
        Assert.True(message.EnqueuedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
        await EmptyAsync(prefix);
        await stop();
    }

    [Fact]
    public async Task A_failed_message_comes_back_with_its_delivery_count_increased()
    {
        var (transport, prefix) = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);
        var deliveries = new ConcurrentQueue<(string Id, int Count, string Body)>();
        var stop = Consume(transport, (m, _) =>
        {
            deliveries.Enqueue((m.MessageId, m.DeliveryCount, m.Body.ToString()));
            return deliveries.Count == 1 ? throw new InvalidOperationException("registry unavailable") : Task.CompletedTask;
        }, FastPump(maxDeliveries: 5));

        await Eventually.GetAsync(() => Task.FromResult(deliveries.Count >= 2 ? "" : null), "the second delivery");
        await EmptyAsync(prefix);
        await stop();
        Assert.Equal([("m-1", 1, "{\"n\":1}"), ("m-1", 2, "{\"n\":1}")], deliveries.ToArray());
        Assert.Empty(await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_scheduled_message_waits_for_its_time()
    {
        var (transport, prefix) = await NewTransportAsync();
        await transport.SendAsync(Queue, Message("later", at: DateTimeOffset.UtcNow.AddHours(1)), CancellationToken.None);
        await transport.SendAsync(Queue, Message("soon", at: DateTimeOffset.UtcNow.AddSeconds(1)), CancellationToken.None);
        var handled = new ConcurrentQueue<string>();
        var stop = Consume(transport, (m, _) => { handled.Enqueue(m.MessageId); return Task.CompletedTask; });

        await Eventually.GetAsync(() => Task.FromResult(handled.Contains("soon") ? "" : null), "the message scheduled in a second");
        // The one due in an hour is still on the queue and was never handed out.
        await Eventually.GetAsync(async () => await QueuedAsync(prefix) == 1 ? "" : null, "only the later message to remain");
        await stop();
        Assert.Equal(["soon"], handled.ToArray());
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_dead_lettered_with_its_reason_and_replay_returns_it()
    {
        var (transport, prefix) = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);
        var attempts = 0;
        var stop = Consume(transport, (_, _) => { Interlocked.Increment(ref attempts); throw new InvalidOperationException("registry unavailable"); });

        var letter = await Eventually.GetAsync(async () => (await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None)).SingleOrDefault(), "a dead letter");
        await stop();
        Assert.Equal(2, attempts);
        Assert.Equal(("InvalidOperationException", "registry unavailable", 2, "m-1", "dossier-1"),
            (letter.Reason, letter.Description, letter.Message.DeliveryCount, letter.Message.MessageId, letter.Message.CorrelationId));
        Assert.Equal(0, await QueuedAsync(prefix));

        Assert.Equal(1, await transport.ReplayDeadLettersAsync(Queue, 10, CancellationToken.None));
        Assert.Empty(await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None));
        var replayed = new TaskCompletionSource<ReceivedMessage>();
        stop = Consume(transport, (m, _) => { replayed.TrySetResult(m); return Task.CompletedTask; });
        var again = await replayed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop();
        Assert.Equal(("m-1", "{\"n\":1}", 1), (again.MessageId, again.Body.ToString(), again.DeliveryCount));
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", again.Properties["traceparent"]);
    }

    [Fact]
    public async Task A_message_no_handler_can_read_is_dead_lettered_at_once()
    {
        var (transport, _) = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);
        var attempts = 0;
        var stop = Consume(transport, (_, _) => { Interlocked.Increment(ref attempts); throw new UnreadableMessageException("not a dossier event"); },
            FastPump(maxDeliveries: 5));

        var letter = await Eventually.GetAsync(async () => (await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None)).SingleOrDefault(), "a dead letter");
        await stop();
        Assert.Equal(1, attempts);
        Assert.Equal((UnreadableMessageException.Reason, "not a dossier event"), (letter.Reason, letter.Description));
    }

    [Fact]
    public async Task Stopping_hands_back_what_did_not_finish_within_the_grace_period()
    {
        var (transport, _) = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);
        var started = new TaskCompletionSource();
        var stop = Consume(transport, async (_, ct) => { started.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop();

        // Handed back at once, not after its lock runs out: the next consumer gets it straight away.
        var again = new TaskCompletionSource<ReceivedMessage>();
        stop = Consume(transport, (m, _) => { again.TrySetResult(m); return Task.CompletedTask; });
        Assert.Equal(2, (await again.Task.WaitAsync(TimeSpan.FromSeconds(20))).DeliveryCount);
        await stop();
    }

    [Fact]
    public async Task Stopping_lets_running_work_finish_and_completes_it()
    {
        var (transport, prefix) = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var finished = false;
        var options = FastPump();
        options.ShutdownGrace = TimeSpan.FromSeconds(30);
        var stop = Consume(transport, async (_, _) => { started.TrySetResult(); await release.Task; finished = true; }, options);

        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var stopping = stop();
        release.SetResult();
        await stopping;

        Assert.True(finished);
        Assert.Equal(0, await QueuedAsync(prefix));
        Assert.Empty(await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_burst_larger_than_the_concurrency_is_handled_once_each()
    {
        var (transport, prefix) = await NewTransportAsync();
        for (var i = 0; i < 12; i++) await transport.SendAsync(Queue, Message($"m-{i}"), CancellationToken.None);
        var handled = new ConcurrentDictionary<string, int>();
        var running = 0;
        var mostAtOnce = 0;
        var options = FastPump();
        options.MaxConcurrency = 3;
        var stop = Consume(transport, async (m, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            handled.AddOrUpdate(m.MessageId, 1, (_, n) => n + 1);
            await Task.Delay(20);
            Interlocked.Decrement(ref running);
        }, options);

        await Eventually.GetAsync(() => Task.FromResult(handled.Count == 12 ? "" : null), "all twelve messages");
        await EmptyAsync(prefix);
        await stop();
        Assert.All(handled.Values, n => Assert.Equal(1, n));
        Assert.InRange(mostAtOnce, 1, 3);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = target; value > seen; seen = target)
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
