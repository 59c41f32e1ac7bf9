using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Types;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>
/// The Service Bus side of the frames RabbitMQ does not have, on AMQPNetLite's listener over TLS:
/// SASL ANONYMOUS, CBS put-token on <c>$cbs</c> (the SAS token's HMAC, audience and expiry are
/// checked with the namespace key), peek-lock deliveries carrying Service Bus's lock-token,
/// locked-until, enqueued-time and sequence-number annotations and its delivery count,
/// <c>com.microsoft:renew-lock</c> on <c>&lt;queue&gt;/$management</c>, and the outcomes the client
/// settles with. It records what arrives so tests can check it against the documented protocol.
/// </summary>
public sealed class ServiceBusPeer : IDisposable
{
    public const string KeyName = "RootManageSharedAccessKey";
    private readonly ContainerHost _host;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, PeerQueue> _queues = new();
    private long _sequence;

    public ServiceBusPeer(params string[] queues)
    {
        Port = FreePort();
        Certificate = SelfSigned();
        _host = new ContainerHost([new Address($"amqps://localhost:{Port}")], Certificate);
        _host.Listeners[0].SASL.EnableAnonymousMechanism = true;
        _host.RegisterRequestProcessor("$cbs", new Cbs(this));
        foreach (var name in queues)
        {
            var queue = _queues[name] = new PeerQueue(this, name);
            _host.RegisterMessageProcessor(name, queue);
            _host.RegisterMessageSource(name, queue);
            _host.RegisterRequestProcessor(name + "/$management", new Management(this, queue));
        }
        _host.Open();
    }

    public int Port { get; }
    public X509Certificate2 Certificate { get; }
    public string Key => Convert.ToBase64String(_key);
    public string ConnectionString => $"Endpoint=sb://localhost:{Port}/;SharedAccessKeyName={KeyName};SharedAccessKey={Key}";

    /// <summary>Everything that happened, in order: tokens put, messages sent, settled, locks renewed.</summary>
    public ConcurrentQueue<PeerEvent> Events { get; } = new();

    public IReadOnlyList<Message> Sent(string queue) => _queues[queue].Sent.ToList();

    /// <summary>Accepts the server certificate only if it is this peer's, so TLS is really checked.</summary>
    public void TrustOnly(ConnectionFactory factory) =>
        factory.SSL.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == Certificate.Thumbprint;

    public void Dispose()
    {
        _host.Close();
        Certificate.Dispose();
    }

    private void Record(string kind, string subject, object? detail = null) => Events.Enqueue(new PeerEvent(kind, subject, detail));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Checks a SharedAccessSignature as Service Bus does: the key's HMAC over the resource and expiry.</summary>
    private bool TokenIsValid(string token, string audience, out DateTimeOffset expires)
    {
        expires = default;
        if (!token.StartsWith("SharedAccessSignature ", StringComparison.Ordinal)) return false;
        var fields = token["SharedAccessSignature ".Length..].Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        if (!fields.TryGetValue("sr", out var resource) || !fields.TryGetValue("sig", out var signature)
            || !fields.TryGetValue("se", out var expiry) || fields.GetValueOrDefault("skn") != KeyName) return false;
        if (!audience.StartsWith(resource, StringComparison.OrdinalIgnoreCase)) return false;
        expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(expiry, System.Globalization.CultureInfo.InvariantCulture));
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(resource)}\n{expiry}"));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromBase64String(signature)) && expires > DateTimeOffset.UtcNow;
    }

    private static Message Response(Message request, int status, string description, object? body = null, string statusName = "status-code") =>
        new(body)
        {
            Properties = new Properties { CorrelationId = request.Properties?.MessageId },
            ApplicationProperties = new ApplicationProperties
            {
                Map =
                {
                    [statusName] = status,
                    [statusName == "status-code" ? "status-description" : "statusDescription"] = description,
                },
            },
        };

    private sealed class Cbs(ServiceBusPeer peer) : IRequestProcessor
    {
        public int Credit => 100;

        public void Process(RequestContext request)
        {
            var message = request.Message;
            var operation = message.ApplicationProperties?["operation"] as string;
            var type = message.ApplicationProperties?["type"] as string;
            var audience = message.ApplicationProperties?["name"] as string ?? string.Empty;
            var valid = operation == "put-token" && type == "servicebus.windows.net:sastoken"
                && message.Body is string token && peer.TokenIsValid(token, audience, out _);
            peer.Record("put-token", audience, valid);
            request.Complete(Response(message, valid ? 202 : 401, valid ? "Accepted" : "InvalidToken"));
        }
    }

    private sealed class Management(ServiceBusPeer peer, PeerQueue queue) : IRequestProcessor
    {
        public int Credit => 100;

        public void Process(RequestContext request)
        {
            var message = request.Message;
            if (message.ApplicationProperties?["operation"] as string != "com.microsoft:renew-lock"
                || message.Body is not Map body || body["lock-tokens"] is not Guid[] { Length: > 0 } tokens
                || !tokens.All(queue.IsLocked))
            {
                peer.Record("renew-lock-refused", queue.Name);
                request.Complete(Response(message, 410, "MessageLockLost", statusName: "statusCode"));
                return;
            }
            foreach (var token in tokens) peer.Record("renew-lock", queue.Name, token);
            var expirations = tokens.Select(_ => DateTime.UtcNow.AddSeconds(30)).ToArray();
            request.Complete(Response(message, 200, "OK", new Map { ["expirations"] = expirations }, statusName: "statusCode"));
        }
    }

    private sealed class PeerQueue(ServiceBusPeer peer, string name) : IMessageProcessor, IMessageSource
    {
        private readonly Channel<(Message Message, uint DeliveryCount)> _ready = Channel.CreateUnbounded<(Message, uint)>();
        private readonly ConcurrentDictionary<Guid, (Message Message, uint DeliveryCount)> _locked = new();

        public string Name => name;
        public int Credit => 100;
        public ConcurrentQueue<Message> Sent { get; } = new();

        public bool IsLocked(Guid token) => _locked.ContainsKey(token);

        public void Process(MessageContext context)
        {
            Sent.Enqueue(context.Message);
            peer.Record("sent", name, context.Message.Properties?.MessageId);
            _ready.Writer.TryWrite((Copy(context.Message), 0));
            context.Complete();
        }

        public async Task<ReceiveContext> GetMessageAsync(ListenerLink link)
        {
            var (message, deliveryCount) = await _ready.Reader.ReadAsync();
            var token = Guid.NewGuid();
            message.Header = new Header { DeliveryCount = deliveryCount, Durable = true };
            message.MessageAnnotations = new MessageAnnotations();
            message.MessageAnnotations[(Symbol)"x-opt-lock-token"] = token;
            message.MessageAnnotations[(Symbol)"x-opt-locked-until"] = DateTime.UtcNow.AddSeconds(30);
            message.MessageAnnotations[(Symbol)"x-opt-enqueued-time"] = DateTime.UtcNow;
            message.MessageAnnotations[(Symbol)"x-opt-sequence-number"] = Interlocked.Increment(ref peer._sequence);
            _locked[token] = (message, deliveryCount);
            return new ReceiveContext(link, message) { UserToken = token };
        }

        public void DisposeMessage(ReceiveContext receiveContext, DispositionContext dispositionContext)
        {
            var token = (Guid)receiveContext.UserToken;
            _locked.TryRemove(token, out var locked);
            var state = dispositionContext.DeliveryState;
            peer.Record(state?.GetType().Name ?? "settled", name, state);
            // Service Bus: abandon (modified, delivery-failed) and release give the message back; a failed one counts.
            if (state is Modified modified) _ready.Writer.TryWrite((Copy(locked.Message), locked.DeliveryCount + (modified.DeliveryFailed ? 1u : 0u)));
            else if (state is Released) _ready.Writer.TryWrite((Copy(locked.Message), locked.DeliveryCount));
            dispositionContext.Complete();
        }

        private static Message Copy(Message message) => Message.Decode(message.Encode());
    }
}

/// <summary>One thing the peer saw: a token put, a message sent or settled, a lock renewed.</summary>
public sealed record PeerEvent(string Kind, string Subject, object? Detail);
