using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// What every queue transport must do, run against each one on its real broker
/// (<see cref="StorageQueueTransportTests"/>, <see cref="ServiceBusTransportTests"/>).
/// </summary>
public abstract class QueueTransportTests : IAsyncLifetime
{
    protected const string Queue = "steps";
    protected static readonly TimeSpan Lock = TimeSpan.FromSeconds(30);
    private readonly List<IMessageTransport> _transports = [];

    /// <summary>A transport whose queue names start with <paramref name="prefix"/>, with <see cref="Queue"/> declared.</summary>
    protected abstract Task<IMessageTransport> CreateTransportAsync(string prefix);

    /// <summary>Puts text that is not our envelope on the queue, as a stranger would.</summary>
    protected abstract Task SendForeignAsync(string prefix, string text);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports.OfType<IAsyncDisposable>()) await transport.DisposeAsync();
    }

    private Task<IMessageTransport> NewTransportAsync() => NewTransportAsync(out _);

    private Task<IMessageTransport> NewTransportAsync(out string prefix)
    {
        prefix = "q" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        return Track(CreateTransportAsync(prefix));
    }

    private async Task<IMessageTransport> Track(Task<IMessageTransport> creating)
    {
        var transport = await creating;
        _transports.Add(transport);
        return transport;
    }

    protected static OutgoingMessage Message(string id = "m-1", DateTimeOffset? at = null) => new(id, "step", BinaryData.FromString("{\"n\":1}"),
        CorrelationId: "dossier-1", Properties: new Dictionary<string, string> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
        ScheduledEnqueueTime: at);

    protected static MessagePumpOptions FastPump(int maxDeliveries = 2) => new()
    {
        MaxDeliveryCount = maxDeliveries, LockDuration = Lock, RetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(100),
        MinPollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(100), ShutdownGrace = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public async Task SendReceiveComplete_RoundTripsIdsPropertiesAndBody()
    {
        var transport = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);

        var received = Assert.Single(await transport.ReceiveAsync(Queue, 10, Lock, CancellationToken.None));
        Assert.Equal(("m-1", "step", "dossier-1", 1), (received.MessageId, received.Subject, received.CorrelationId, received.DeliveryCount));
        Assert.Equal("{\"n\":1}", received.Body.ToString());
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", received.Properties["traceparent"]);

        await transport.CompleteAsync(received, CancellationToken.None);
        Assert.Empty(await transport.ReceiveAsync(Queue, 10, TimeSpan.FromSeconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task Abandon_DeliversAgain_WithTheDeliveryCountIncreased()
    {
        var transport = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);
        var first = Assert.Single(await transport.ReceiveAsync(Queue, 1, Lock, CancellationToken.None));
        Assert.Empty(await transport.ReceiveAsync(Queue, 1, Lock, CancellationToken.None));

        await transport.AbandonAsync(first, TimeSpan.Zero, CancellationToken.None);
        var second = Assert.Single(await transport.ReceiveAsync(Queue, 1, Lock, CancellationToken.None));
        Assert.Equal((first.MessageId, 2), (second.MessageId, second.DeliveryCount));
    }

    [Fact]
    public async Task ScheduledMessage_StaysInvisibleUntilItsTime()
    {
        var transport = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(at: DateTimeOffset.UtcNow.AddHours(1)), CancellationToken.None);
        Assert.Empty(await transport.ReceiveAsync(Queue, 10, Lock, CancellationToken.None));

        await transport.SendAsync(Queue, Message("m-2", at: DateTimeOffset.UtcNow.AddSeconds(1)), CancellationToken.None);
        var due = await Eventually.GetAsync(async () => (await transport.ReceiveAsync(Queue, 10, Lock, CancellationToken.None)).SingleOrDefault(), "the scheduled message");
        Assert.Equal("m-2", due.MessageId);
    }

    [Fact]
    public async Task Pump_HandlerKeepsFailing_DeadLettersWithReasonAndReplayReturnsIt()
    {
        var transport = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);
        var attempts = 0;
        using var stop = new CancellationTokenSource();
        var pump = new MessagePump(transport, Queue, (_, _) => { Interlocked.Increment(ref attempts); throw new InvalidOperationException("registry unavailable"); },
            FastPump(maxDeliveries: 2), NullLogger.Instance).RunAsync(stop.Token);

        var letter = await Eventually.GetAsync(async () => (await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None)).SingleOrDefault(), "a dead letter");
        await stop.CancelAsync();
        await pump;

        Assert.Equal(2, attempts);
        Assert.Equal(("InvalidOperationException", "registry unavailable", 2, "m-1"), (letter.Reason, letter.Description, letter.Message.DeliveryCount, letter.Message.MessageId));
        Assert.Empty(await transport.ReceiveAsync(Queue, 10, Lock, CancellationToken.None));

        Assert.Equal(1, await transport.ReplayDeadLettersAsync(Queue, 10, CancellationToken.None));
        var replayed = Assert.Single(await transport.ReceiveAsync(Queue, 10, Lock, CancellationToken.None));
        Assert.Equal(("m-1", "{\"n\":1}"), (replayed.MessageId, replayed.Body.ToString()));
        Assert.Empty(await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Receive_UnreadableMessage_GoesToDeadLettersAtOnce()
    {
        var transport = await NewTransportAsync(out var prefix);
        await SendForeignAsync(prefix, "not json at all");

        Assert.Empty(await transport.ReceiveAsync(Queue, 10, Lock, CancellationToken.None));
        var letter = Assert.Single(await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None));
        Assert.Equal("UnreadableEnvelope", letter.Reason);
    }

    [Fact]
    public async Task Pump_Shutdown_HandsBackWhatDidNotFinishWithinGrace()
    {
        var transport = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);
        var started = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var pump = new MessagePump(transport, Queue, async (_, ct) => { started.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); },
            FastPump(), NullLogger.Instance).RunAsync(stop.Token);

        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await pump;

        // Handed back at once, not after the 30 s lock: a new consumer gets it straight away.
        var again = Assert.Single(await transport.ReceiveAsync(Queue, 10, Lock, CancellationToken.None));
        Assert.Equal(2, again.DeliveryCount);
    }

    [Fact]
    public async Task Pump_Shutdown_LetsInFlightWorkFinishAndCompletes()
    {
        var transport = await NewTransportAsync();
        await transport.SendAsync(Queue, Message(), CancellationToken.None);
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var finished = false;
        using var stop = new CancellationTokenSource();
        var options = FastPump();
        options.ShutdownGrace = TimeSpan.FromSeconds(30);
        var pump = new MessagePump(transport, Queue, async (_, _) => { started.TrySetResult(); await release.Task; finished = true; },
            options, NullLogger.Instance).RunAsync(stop.Token);

        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        release.SetResult();
        await pump;

        Assert.True(finished);
        Assert.Empty(await transport.ReceiveAsync(Queue, 10, TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Empty(await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Pump_BurstLargerThanItsConcurrency_HandlesEveryMessageOnce()
    {
        var transport = await NewTransportAsync();
        for (var i = 0; i < 12; i++) await transport.SendAsync(Queue, Message($"m-{i}"), CancellationToken.None);
        var handled = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var options = FastPump();
        options.MaxConcurrency = 3;
        var pump = new MessagePump(transport, Queue, async (m, _) => { handled.AddOrUpdate(m.MessageId, 1, (_, n) => n + 1); await Task.Delay(20); },
            options, NullLogger.Instance).RunAsync(stop.Token);

        await Eventually.GetAsync(() => Task.FromResult(handled.Count == 12 ? "" : null), "all twelve messages");
        await stop.CancelAsync();
        await pump;

        Assert.All(handled.Values, n => Assert.Equal(1, n));
        Assert.Empty(await transport.ReceiveAsync(Queue, 32, Lock, CancellationToken.None));
    }
}
