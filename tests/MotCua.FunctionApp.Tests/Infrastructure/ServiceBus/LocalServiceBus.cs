using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Sasl;
using Microsoft.Azure.Amqp.Transport;

namespace MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

/// <summary>
/// A local Azure Service Bus namespace for tests, speaking the part of the Service Bus AMQP protocol
/// the official client (Azure.Messaging.ServiceBus) uses, over plain AMQP on a loopback port
/// (the client's <c>UseDevelopmentEmulator=true</c> mode). Queues are declared, not created on use.
/// Built on Microsoft.Azure.Amqp, the client's own AMQP library, in its listener role.
/// </summary>
public sealed partial class LocalServiceBus : IAsyncDisposable
{
    public const string KeyName = "RootManageSharedAccessKey";

    private readonly Broker _broker;
    private readonly ClaimsBasedSecurity _cbs;
    private readonly ConcurrentDictionary<AmqpConnection, byte> _connections = new();
    private readonly ITimer _sweeper;
    private readonly Lock _listening = new();
    private AmqpTransportListener? _listener;

    /// <param name="time">The clock for enqueued times, lock expiry, schedules and token expiry.</param>
    /// <param name="port">A loopback port to listen on; a free one when not given.</param>
    public LocalServiceBus(TimeProvider? time = null, int? port = null)
    {
        Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Port = port ?? FreePort();
        _broker = new Broker(time ?? TimeProvider.System);
        _cbs = new ClaimsBasedSecurity(_broker, KeyName, Encoding.UTF8.GetBytes(Key));
        _sweeper = _broker.Time.CreateTimer(_ => Sweep(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    public int Port { get; }

    /// <summary>The namespace's shared access key (of <see cref="KeyName"/>).</summary>
    public string Key { get; }

    /// <summary>What the official client takes: plain AMQP to this port, SAS key authentication.</summary>
    public string ConnectionString => ConnectionStringWithKey(Key);

    public string ConnectionStringWithKey(string key) =>
        $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName={KeyName};SharedAccessKey={key};UseDevelopmentEmulator=true";

    /// <summary>Everything that happened, in order (see <see cref="BusEvent"/> for the kinds).</summary>
    public IReadOnlyList<BusEvent> Events => _broker.Events;

    /// <summary>Declares a queue and its <c>$deadletterqueue</c> sub-queue. Links to undeclared entities are refused with amqp:not-found.</summary>
    public LocalServiceBus DeclareQueue(string name, int maxDeliveryCount = 10, TimeSpan? lockDuration = null)
    {
        _broker.Declare(name, new QueueSettings(maxDeliveryCount, lockDuration));
        return this;
    }

    /// <summary>Counts of the queue's active, locked, scheduled and deferred messages and of its dead-letter sub-queue's messages.</summary>
    public QueueCounts Counts(string queue) => _broker.Counts(queue);

    /// <summary>Counts of the queue's dead-letter sub-queue itself (active there, locked there, ...).</summary>
    public QueueCounts DeadLetterCounts(string queue) => _broker.Counts(queue + Broker.DeadLetterSuffix);

    /// <summary>An application property of the dead-lettered messages, in order (e.g. DeadLetterReason), for assertions.</summary>
    public IReadOnlyList<object?> DeadLetterProperty(string queue, string property)
    {
        var deadLetters = _broker.Find(queue + Broker.DeadLetterSuffix) ?? throw new ArgumentException($"No queue '{queue}'.", nameof(queue));
        lock (_broker.Sync) return deadLetters.Browse().Select(m => BrokerMessage.ApplicationProperty(m.Payload, property)).ToList();
    }

    /// <summary>Listens on <see cref="Port"/>; after <see cref="StopAsync"/>, on the same port again.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_listening)
        {
            if (_listener is not null) return Task.CompletedTask;
            var tcp = new TcpTransportSettings { Host = IPAddress.Loopback.ToString(), Port = Port }.CreateListener();
            _listener = new AmqpTransportListener([tcp], CreateSettings());
            _listener.Open();
            _listener.Listen(OnAcceptTransport);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A crash: stops listening and drops every connection without a close frame. Messages,
    /// schedules, dead letters and locks stay; locks held through dropped links run until they
    /// expire, and settling them through update-disposition still works meanwhile.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_listening)
        {
            _listener?.Close();
            _listener = null;
        }
        foreach (var connection in _connections.Keys)
        {
            _connections.TryRemove(connection, out _);
            _broker.Record("connection-dropped", connection.Settings.RemoteContainerId ?? "?");
            connection.Abort();
        }
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _sweeper.DisposeAsync();
    }

    /// <summary>Protocol guide, "Connections and sessions": SASL with the MSSBCBS mechanism the client offers (or ANONYMOUS), then AMQP 1.0.</summary>
    private AmqpSettings CreateSettings()
    {
        var sasl = new SaslTransportProvider();
        sasl.Versions.Add(new AmqpVersion(1, 0, 0));
        sasl.AddHandler(new SaslAnonymousHandler("MSSBCBS"));
        sasl.AddHandler(new SaslAnonymousHandler());
        var amqp = new AmqpTransportProvider();
        amqp.Versions.Add(new AmqpVersion(1, 0, 0));
        var settings = new AmqpSettings { RuntimeProvider = new LinkRouter(this) };
        settings.TransportProviders.Add(sasl);
        settings.TransportProviders.Add(amqp);
        return settings;
    }

    private void OnAcceptTransport(TransportListener listener, TransportAsyncCallbackArgs args)
    {
        var settings = _listener?.AmqpSettings;
        if (settings is null)
        {
            args.Transport.Abort();
            return;
        }
        var connectionSettings = new AmqpConnectionSettings { ContainerId = "local-service-bus", MaxFrameSize = 65536 };
        var connection = settings.RuntimeProvider.CreateConnection(args.Transport, (ProtocolHeader)args.UserToken, false, settings, connectionSettings);
        _connections[connection] = 0;
        connection.SafeAddClosed((_, _) =>
        {
            _connections.TryRemove(connection, out _);
            _cbs.Forget(connection);
        });
        _ = OpenAsync(connection);
    }

    private static async Task OpenAsync(AmqpConnection connection)
    {
        try
        {
            await connection.OpenAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is AmqpException or TimeoutException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            connection.SafeClose();
        }
    }

    private void Sweep()
    {
        try
        {
            _broker.Sweep();
        }
        catch (Exception ex) when (ex is AmqpException or InvalidOperationException or ObjectDisposedException or NullReferenceException or InvalidDataException)
        {
            // A timer callback that throws would take the test host down; the event log shows it instead.
            _broker.Record("sweep-failed", "*", ex.Message);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
