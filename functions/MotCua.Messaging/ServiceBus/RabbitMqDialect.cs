using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Amqp;
using Amqp.Types;

namespace MotCua.Messaging.ServiceBus;

/// <summary>
/// Everything RabbitMQ 3.10 (<c>rabbitmq_amqp1_0</c>) does differently from Service Bus, in one place:
/// <list type="bullet">
/// <item>SASL PLAIN with the connection string's key name and key; no CBS, no TLS unless asked.</item>
/// <item>Queues are quorum queues declared through the HTTP API, since AMQP 1.0 cannot pass queue
/// arguments; addressed as <c>/amq/queue/&lt;name&gt;</c> so a typo fails instead of declaring a stray queue.</item>
/// <item>No delivery count reaches AMQP 1.0 clients and <c>modified</c> is refused, so abandon sends a
/// copy carrying the next count and accepts the original. Redeliveries after a crash are not
/// counted; the quorum queue's <c>x-delivery-limit</c> dead-letters those.</item>
/// <item>No scheduling: a scheduled message waits in a ladder of delay queues (1 s, 4 s, 16 s … ~3 days,
/// each a fixed TTL dead-lettering back by routing key) and climbs down until its time.</item>
/// <item>Credit topped up while the broker is sending can be overshot (the client then loses the
/// link), so receivers get a new batch of credit only when the previous one has all arrived.</item>
/// <item>No lock expiry: a message stays locked while its link lives, so renewal only moves the
/// reported deadline.</item>
/// <item>Dead letters go to <c>&lt;queue&gt;.dead-letter</c> as a copy carrying Service Bus's reason and
/// description properties, then the original is accepted; a rejected message would lose both.</item>
/// </list>
/// </summary>
internal sealed class RabbitMqDialect(ServiceBusConnection endpoint, ServiceBusOptions options, HttpClient http) : AmqpDialect
{
    public const string DeadLetterSuffix = ".dead-letter";
    public const string DeliveryCountProperty = "motcua-delivery-count";
    public const string DueProperty = "motcua-due";
    public const string DeadLetteredAtProperty = "motcua-dead-lettered-at";
    private static readonly int[] DelaySeconds = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144];
    private readonly SemaphoreSlim _ladderDeclared = new(1, 1);
    private bool _ladderReady;

    public override bool UsesClaimsBasedSecurity => false;

    public override bool GrantsCreditInBatches => true;

    public override Address Address(ServiceBusConnection connection) => new(connection.Host,
        connection.Port ?? (connection.UseTls ? ServiceBusTlsPort : 5672), connection.KeyName, connection.Key, "/", connection.UseTls ? "amqps" : "amqp");

    public override void Configure(ConnectionFactory factory, ServiceBusConnection connection)
    {
    }

    public override string EntityAddress(string queue) => "/amq/queue/" + queue;

    public override string DeadLetterAddress(string queue) => EntityAddress(queue + DeadLetterSuffix);

    public override async Task EnsureQueueAsync(string queue, CancellationToken cancellationToken)
    {
        await EnsureLadderAsync(cancellationToken);
        await PutAsync($"queues/%2F/{Uri.EscapeDataString(queue + DeadLetterSuffix)}",
            new { durable = true, arguments = new Dictionary<string, object> { ["x-queue-type"] = "quorum" } }, cancellationToken);
        await PutAsync($"queues/%2F/{Uri.EscapeDataString(queue)}", new
        {
            durable = true,
            arguments = new Dictionary<string, object>
            {
                ["x-queue-type"] = "quorum",
                ["x-delivery-limit"] = options.DeliveryLimit,
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = queue + DeadLetterSuffix,
                ["x-dead-letter-strategy"] = "at-least-once",
                ["x-overflow"] = "reject-publish",
            },
        }, cancellationToken);
    }

    public override async Task SendAsync(AmqpLinks links, string queue, Message message, DateTimeOffset? scheduledAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (scheduledAt is { } at) message.ApplicationProperties.Map[DueProperty] = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var wait = scheduledAt is { } due ? due - now : TimeSpan.Zero;
        await SendToAsync(links, wait > TimeSpan.FromMilliseconds(50) ? LadderAddress(queue, wait) : EntityAddress(queue), message, cancellationToken);
    }

    public override async Task<bool> IsDueAsync(AmqpLinks links, AmqpDelivery delivery, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (AmqpMessages.Property(delivery.Message, DueProperty) is not { } text || !long.TryParse(text, CultureInfo.InvariantCulture, out var dueMs)) return true;
        var wait = DateTimeOffset.FromUnixTimeMilliseconds(dueMs) - now;
        if (wait <= TimeSpan.FromMilliseconds(50)) return true;
        // Down another rung: copy first, then accept, so a crash in between duplicates rather than loses.
        await SendToAsync(links, LadderAddress(delivery.Queue, wait), AmqpMessages.Copy(delivery.Message, _ => { }), cancellationToken);
        delivery.Link.Accept(delivery.Message);
        return false;
    }

    public override int DeliveryCount(Message message) =>
        int.TryParse(AmqpMessages.Property(message, DeliveryCountProperty), CultureInfo.InvariantCulture, out var count) ? count : 1;

    public override string LockToken(Message message) => Guid.NewGuid().ToString();

    public override DateTimeOffset LockedUntil(Message message, DateTimeOffset now, TimeSpan lockDuration) => now + lockDuration;

    public override bool LocksExpire => false;

    public override async Task AbandonAsync(AmqpLinks links, AmqpDelivery delivery, int deliveryCount, CancellationToken cancellationToken)
    {
        var retry = AmqpMessages.Copy(delivery.Message, p =>
        {
            p[DeliveryCountProperty] = (deliveryCount + 1).ToString(CultureInfo.InvariantCulture);
            p.Remove(DueProperty);
        });
        await SendToAsync(links, EntityAddress(delivery.Queue), retry, cancellationToken);
        delivery.Link.Accept(delivery.Message);
    }

    public override Task<DateTimeOffset> RenewLockAsync(AmqpLinks links, AmqpDelivery delivery, DateTimeOffset now, TimeSpan lockDuration, CancellationToken cancellationToken) =>
        delivery.Link.IsClosed
            ? throw new AmqpException(new Amqp.Framing.Error(ErrorCode.DetachForced) { Description = "The link that locked the message is gone." })
            : Task.FromResult(now + lockDuration);

    public override async Task DeadLetterAsync(AmqpLinks links, AmqpDelivery delivery, string reason, string description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deadLetter = AmqpMessages.Copy(delivery.Message, p =>
        {
            p[AmqpMessages.DeadLetterReason] = reason;
            p[AmqpMessages.DeadLetterDescription] = description;
            p[DeadLetteredAtProperty] = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            p[DeliveryCountProperty] = DeliveryCount(delivery.Message).ToString(CultureInfo.InvariantCulture);
            p.Remove(DueProperty);
        });
        await SendToAsync(links, DeadLetterAddress(delivery.Queue), deadLetter, cancellationToken);
        delivery.Link.Accept(delivery.Message);
    }

    public override bool IsOwnProperty(string name) => name is DeliveryCountProperty or DueProperty or DeadLetteredAtProperty;

    /// <summary>The longest rung no longer than the wait, so a message never arrives early; the shortest for waits under a second.</summary>
    private static string LadderAddress(string queue, TimeSpan wait)
    {
        var seconds = DelaySeconds.LastOrDefault(s => s <= wait.TotalSeconds, DelaySeconds[0]);
        return $"/exchange/{LadderName(seconds)}/{queue}";
    }

    private static string LadderName(int seconds) => $"motcua.delay.{seconds}s";

    private async Task EnsureLadderAsync(CancellationToken cancellationToken)
    {
        if (_ladderReady) return;
        await _ladderDeclared.WaitAsync(cancellationToken);
        try
        {
            if (_ladderReady) return;
            foreach (var seconds in DelaySeconds)
            {
                var name = Uri.EscapeDataString(LadderName(seconds));
                await PutAsync($"exchanges/%2F/{name}", new { type = "fanout", durable = true }, cancellationToken);
                // Expired messages go back through the default exchange under their own routing key: the target queue.
                await PutAsync($"queues/%2F/{name}", new
                {
                    durable = true,
                    arguments = new Dictionary<string, object> { ["x-message-ttl"] = seconds * 1000, ["x-dead-letter-exchange"] = "" },
                }, cancellationToken);
                await SendHttpAsync(HttpMethod.Post, $"bindings/%2F/e/{name}/q/{name}", new { routing_key = "" }, cancellationToken);
            }
            _ladderReady = true;
        }
        finally
        {
            _ladderDeclared.Release();
        }
    }

    private Task PutAsync(string path, object body, CancellationToken cancellationToken) =>
        SendHttpAsync(HttpMethod.Put, path, body, cancellationToken);

    private async Task SendHttpAsync(HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        var management = options.ManagementEndpoint ?? new Uri($"http://{endpoint.Host}:15672/");
        using var request = new HttpRequestMessage(method, new Uri(management, "api/" + path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{endpoint.KeyName}:{endpoint.Key}")));
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"RabbitMQ refused {method} {path}: {(int)response.StatusCode} {detail}");
        }
    }
}
