using System.Collections.Concurrent;
using Amqp;
using Amqp.Framing;
using Microsoft.Extensions.Logging;

namespace MotCua.Messaging.ServiceBus;

/// <summary>
/// One AMQP connection, opened on first use and again after it is lost, and the links attached on
/// it. Senders and request links share a session; each receiver gets its own (RabbitMQ needs it,
/// Service Bus does not mind). A lost connection drops every link with it, so the next call
/// attaches afresh; messages that were locked on the old links come back from the broker.
/// </summary>
internal sealed class AmqpLinks(
    ServiceBusConnection endpoint,
    AmqpDialect dialect,
    ServiceBusOptions options,
    TimeProvider time,
    ILogger logger,
    Action<ConnectionFactory>? configureFactory) : IAsyncDisposable
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, Link> _links = new();
    private readonly ConcurrentDictionary<string, AmqpRequestLink> _requestLinks = new();
    private Connection? _connection;
    private Session? _sharedSession;
    private ClaimsBasedSecurity? _cbs;
    private TimeSpan _reconnectDelay = TimeSpan.Zero;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private bool _disposed;
    private bool _everConnected;

    public ServiceBusConnection Endpoint => endpoint;

    public TimeSpan OperationTimeout => options.OperationTimeout;

    /// <summary>How many times a lost connection was opened again.</summary>
    public int Reconnects { get; private set; }

    public async Task<SenderLink> SenderAsync(string address, CancellationToken cancellationToken) =>
        (SenderLink)await LinkAsync("send:" + address, address, async (connection, session) =>
        {
            var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var link = new SenderLink(session, "motcua-send-" + Guid.NewGuid().ToString("N"),
                new Target { Address = address }, (_, remote) => Attached(attached, remote.Target));
            await AttachedAsync(link, attached, cancellationToken);
            return link;
        }, cancellationToken);

    public async Task<ReceiverLink> ReceiverAsync(string address, int prefetch, CancellationToken cancellationToken) =>
        (ReceiverLink)await LinkAsync("receive:" + address, address, async (connection, _) =>
        {
            var session = new Session(connection);
            var attached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var link = new ReceiverLink(session, "motcua-receive-" + Guid.NewGuid().ToString("N"),
                new Source { Address = address }, (_, remote) => Attached(attached, remote.Source));
            link.AddClosedCallback((_, _) => session.CloseAsync());
            await AttachedAsync(link, attached, cancellationToken);
            // Service Bus: credit comes back as messages are settled, so at most `prefetch` are locked ahead
            // of the handlers. RabbitMQ can overshoot credit that is topped up while it sends, so there the
            // transport grants a fresh batch only once the last one has all arrived.
            link.SetCredit(prefetch, dialect.GrantsCreditInBatches ? CreditMode.Manual : CreditMode.Auto);
            return link;
        }, cancellationToken);

    /// <summary>A request/response pair of links to a management node such as <c>&lt;queue&gt;/$management</c>.</summary>
    public async Task<AmqpRequestLink> RequestLinkAsync(string node, string audience, CancellationToken cancellationToken)
    {
        if (_requestLinks.TryGetValue(node, out var existing) && !existing.IsClosed) return existing;
        var (_, session) = await ConnectAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Renewals of many messages at once share one pair of links per node.
            if (_requestLinks.TryGetValue(node, out existing) && !existing.IsClosed) return existing;
            if (_cbs is not null) await _cbs.AuthorizeAsync(audience, cancellationToken);
            var created = await AmqpRequestLink.AttachAsync(session, node, options.OperationTimeout, cancellationToken);
            _requestLinks[node] = created;
            return created;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Forget(Link link)
    {
        foreach (var (key, value) in _links)
            if (ReferenceEquals(value, link)) _links.TryRemove(key, out _);
    }

    private async Task<Link> LinkAsync(string key, string entity, Func<Connection, Session, Task<Link>> attach, CancellationToken cancellationToken)
    {
        if (_links.TryGetValue(key, out var link) && !link.IsClosed && !link.Session.Connection.IsClosed) return link;
        var (connection, session) = await ConnectAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_links.TryGetValue(key, out link) && !link.IsClosed && !link.Session.Connection.IsClosed) return link;
            if (_cbs is not null) await _cbs.AuthorizeAsync(dialect.Audience(endpoint, entity), cancellationToken);
            link = await attach(connection, session);
            _links[key] = link;
            return link;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(Connection, Session)> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsClosed: false } open && _sharedSession is { IsClosed: false } shared) return (open, shared);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is { IsClosed: false } again && _sharedSession is { IsClosed: false } session) return (again, session);
            var wait = _nextAttempt - time.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
            await DropAsync();
            try
            {
                var factory = new ConnectionFactory();
                factory.AMQP.ContainerId = "motcua-" + Environment.MachineName + "-" + Environment.ProcessId;
                factory.TCP.NoDelay = true;
                dialect.Configure(factory, endpoint);
                configureFactory?.Invoke(factory);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.OperationTimeout);
                var connection = await factory.CreateAsync(dialect.Address(endpoint), timeout.Token);
                _connection = connection;
                _sharedSession = new Session(connection);
                if (dialect.UsesClaimsBasedSecurity)
                {
                    _cbs = await ClaimsBasedSecurity.StartAsync(connection, endpoint, options, time, logger, cancellationToken);
                }
                _reconnectDelay = TimeSpan.Zero;
                _nextAttempt = DateTimeOffset.MinValue;
                var reconnected = _everConnected;
                _everConnected = true;
                if (reconnected)
                {
                    Reconnects++;
                    AmqpLog.Reconnected(logger, endpoint.Host);
                }
                return (connection, _sharedSession);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Back off so a broker that is down is not hammered by every pump at once.
                _reconnectDelay = TimeSpan.FromTicks(Math.Min(Math.Max(_reconnectDelay.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks), MaxReconnectDelay.Ticks));
                _nextAttempt = time.GetUtcNow() + _reconnectDelay;
                await DropAsync();
                throw new AmqpUnavailableException($"Cannot reach the broker at {endpoint.Host}: {e.Message}", e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DropAsync()
    {
        _links.Clear();
        _requestLinks.Clear();
        if (_cbs is not null) await _cbs.DisposeAsync();
        _cbs = null;
        var connection = _connection;
        _connection = null;
        _sharedSession = null;
        if (connection is { IsClosed: false })
        {
            try
            {
                await connection.CloseAsync(TimeSpan.FromSeconds(5), null);
            }
            catch (Exception e) when (e is AmqpException or TimeoutException or ObjectDisposedException or IOException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            await DropAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    // A refused attach comes back without a terminus, followed by a detach that carries the error.
    private static void Attached(TaskCompletionSource attached, object? terminus)
    {
        if (terminus is not null) attached.TrySetResult();
    }

    private async Task AttachedAsync(Link link, TaskCompletionSource attached, CancellationToken cancellationToken)
    {
        link.AddClosedCallback((_, error) => attached.TrySetException(new AmqpException(error ?? new Error(ErrorCode.DetachForced))));
        try
        {
            await attached.Task.WaitAsync(options.OperationTimeout, cancellationToken);
        }
        catch
        {
            _ = link.CloseAsync();
            throw;
        }
    }
}

/// <summary>The broker could not be reached; the caller tries again later.</summary>
public sealed class AmqpUnavailableException(string message, Exception inner) : Exception(message, inner);
