using Amqp.Framing;
using Amqp.Types;
using Microsoft.Extensions.Logging.Abstractions;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.Messaging;
using MotCua.Messaging.ServiceBus;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// The frames only Azure Service Bus speaks, checked on a local AMQP peer over TLS: CBS tokens and
/// their renewal, the scheduling annotation, lock renewal on the management node, abandon as
/// modified(delivery-failed) and the dead-letter rejection with its reason.
/// </summary>
public sealed class ServiceBusProtocolTests : IAsyncLifetime
{
    private const string Queue = "steps";
    private readonly ServiceBusPeer _peer = new(Queue);
    private readonly List<ServiceBusTransport> _transports = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var transport in _transports) await transport.DisposeAsync();
        _peer.Dispose();
    }

    private ServiceBusTransport Transport(TimeSpan? tokenLifetime = null, string? key = null)
    {
        var options = new ServiceBusOptions
        {
            ConnectionString = key is null ? _peer.ConnectionString : _peer.ConnectionString.Replace(_peer.Key, key),
            TokenLifetime = tokenLifetime ?? TimeSpan.FromHours(1),
            OperationTimeout = TimeSpan.FromSeconds(10),
        };
        var transport = new ServiceBusTransport(options, TimeProvider.System, NullLogger<ServiceBusTransport>.Instance, configureFactory: _peer.TrustOnly);
        _transports.Add(transport);
        return transport;
    }

    private static OutgoingMessage Message(string id, DateTimeOffset? at = null) => new(id, "step", BinaryData.FromString("{\"n\":1}"),
        CorrelationId: "dossier-7", Properties: new Dictionary<string, string> { ["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
        ScheduledEnqueueTime: at);

    private static MessagePumpOptions Pump(int maxDeliveries, TimeSpan lockDuration) => new()
    {
        MaxDeliveryCount = maxDeliveries, LockDuration = lockDuration, RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(100), MinPollInterval = TimeSpan.FromMilliseconds(20),
        MaxPollInterval = TimeSpan.FromMilliseconds(100), ShutdownGrace = TimeSpan.FromSeconds(1),
    };

    private Task<PeerEvent> SeenAsync(Func<PeerEvent, bool> match, string what) =>
        Eventually.GetAsync(() => Task.FromResult(_peer.Events.FirstOrDefault(match)), what);

    [Fact]
    public async Task A_send_over_tls_puts_a_valid_token_first_and_carries_ids_properties_and_the_schedule()
    {
        var at = new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);
        await Transport().SendAsync(Queue, Message("m-1", at), CancellationToken.None);

        var events = _peer.Events.ToList();
        var token = events.FindIndex(e => e is { Kind: "put-token", Subject: "sb://localhost/steps", Detail: true });
        Assert.True(token >= 0, "no valid CBS token for the queue");
        Assert.True(token < events.FindIndex(e => e.Kind == "sent"), "the token must be put before the link is used");

        var sent = Assert.Single(_peer.Sent(Queue));
        Assert.Equal(("m-1", "dossier-7", "step"), (sent.Properties.MessageId, sent.Properties.CorrelationId, sent.Properties.Subject));
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", sent.ApplicationProperties["traceparent"]);
        Assert.True(sent.Header.Durable);
        Assert.Equal(at.UtcDateTime, Assert.IsType<DateTime>(sent.MessageAnnotations[(Symbol)"x-opt-scheduled-enqueue-time"]));
    }

    [Fact]
    public async Task A_token_is_put_again_before_it_expires()
    {
        var transport = Transport(tokenLifetime: TimeSpan.FromSeconds(3));
        await transport.SendAsync(Queue, Message("m-1"), CancellationToken.None);

        await Eventually.GetAsync(() => Task.FromResult(
            _peer.Events.Count(e => e is { Kind: "put-token", Subject: "sb://localhost/steps", Detail: true }) >= 2 ? "" : null), "a renewed token");
        await transport.SendAsync(Queue, Message("m-2"), CancellationToken.None);
        Assert.DoesNotContain(_peer.Events, e => e is { Kind: "put-token", Detail: false });
    }

    [Fact]
    public async Task A_wrong_key_is_refused_by_the_broker()
    {
        var transport = Transport(key: Convert.ToBase64String(new byte[32]));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => transport.SendAsync(Queue, Message("m-1"), CancellationToken.None));
        Assert.Contains(_peer.Events, e => e is { Kind: "put-token", Detail: false });
        Assert.Empty(_peer.Sent(Queue));
    }

    [Fact]
    public async Task A_long_step_renews_its_lock_on_the_management_node_then_completes()
    {
        var transport = Transport();
        await transport.SendAsync(Queue, Message("m-1"), CancellationToken.None);
        string? lockToken = null;
        using var stop = new CancellationTokenSource();
        // The step outlasts its lock: it finishes only once the peer has renewed that lock.
        var pump = new MessagePump(transport, Queue, async (m, _) =>
        {
            lockToken = m.LockToken;
            await SeenAsync(e => e.Kind == "renew-lock" && e.Detail?.ToString() == m.LockToken, "a renewed lock");
        }, Pump(3, TimeSpan.FromSeconds(1)), NullLogger.Instance).RunAsync(stop.Token);

        await SeenAsync(e => e.Kind == nameof(Accepted), "the completed message");
        await stop.CancelAsync();
        await pump;

        var events = _peer.Events.ToList();
        Assert.Contains(events, e => e is { Kind: "put-token", Subject: "sb://localhost/steps", Detail: true });
        Assert.True(events.FindIndex(e => e.Kind == "renew-lock" && e.Detail?.ToString() == lockToken) < events.FindIndex(e => e.Kind == nameof(Accepted)));
        Assert.DoesNotContain(events, e => e.Kind == "renew-lock-refused");
    }

    [Fact]
    public async Task A_failing_step_is_abandoned_as_failed_then_dead_lettered_with_its_reason()
    {
        var transport = Transport();
        await transport.SendAsync(Queue, Message("m-1"), CancellationToken.None);
        var deliveries = new List<int>();
        using var stop = new CancellationTokenSource();
        var pump = new MessagePump(transport, Queue, (m, _) =>
        {
            lock (deliveries) deliveries.Add(m.DeliveryCount);
            throw new InvalidOperationException("registry unavailable");
        }, Pump(2, TimeSpan.FromSeconds(30)), NullLogger.Instance).RunAsync(stop.Token);

        var rejected = await SeenAsync(e => e.Kind == nameof(Rejected), "the dead-letter outcome");
        await stop.CancelAsync();
        await pump;

        // Delivery counts come from the header Service Bus sets: 0 then 1 earlier failures.
        Assert.Equal([1, 2], deliveries);
        var abandoned = Assert.IsType<Modified>(Assert.Single(_peer.Events, e => e.Kind == nameof(Modified)).Detail);
        Assert.True(abandoned.DeliveryFailed);
        Assert.False(abandoned.UndeliverableHere);
        var error = Assert.IsType<Rejected>(rejected.Detail).Error;
        Assert.Equal("com.microsoft:dead-letter", (string)error.Condition);
        Assert.Equal("InvalidOperationException", error.Info[(Symbol)"DeadLetterReason"]);
        Assert.Equal("registry unavailable", error.Info[(Symbol)"DeadLetterErrorDescription"]);
    }
}
