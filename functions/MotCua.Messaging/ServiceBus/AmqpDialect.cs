using Amqp;
using Amqp.Framing;
using Amqp.Sasl;
using Amqp.Types;

namespace MotCua.Messaging.ServiceBus;

/// <summary>A message locked on a receiver link, with the link that must settle it.</summary>
internal sealed record AmqpDelivery(string Queue, ReceiverLink Link, Message Message, string LockToken);

/// <summary>
/// How the transport speaks to Azure Service Bus: SASL ANONYMOUS then a CBS token per entity,
/// abandon = <c>modified(delivery-failed)</c>, dead-letter = <c>rejected</c> with
/// <c>com.microsoft:dead-letter</c>, lock renewal on <c>&lt;queue&gt;/$management</c>, scheduling by
/// the <c>x-opt-scheduled-enqueue-time</c> annotation, dead letters in <c>&lt;queue&gt;/$deadletterqueue</c>.
/// Another broker overrides what it does differently (<see cref="RabbitMqDialect"/>).
/// </summary>
internal class AmqpDialect
{
    public const string DeadLetterCondition = "com.microsoft:dead-letter";
    public const string RenewLockOperation = "com.microsoft:renew-lock";
    public const int ServiceBusTlsPort = 5671;

    public virtual bool UsesClaimsBasedSecurity => true;

    /// <summary>Whether receiver credit is granted a whole batch at a time rather than topped up as messages settle.</summary>
    public virtual bool GrantsCreditInBatches => false;

    public virtual Address Address(ServiceBusConnection endpoint) => endpoint.UseTls
        ? new Address(endpoint.Host, endpoint.Port ?? ServiceBusTlsPort, null, null, "/", "amqps")
        : new Address(endpoint.Host, endpoint.Port ?? 5672, null, null, "/", "amqp");

    public virtual void Configure(ConnectionFactory factory, ServiceBusConnection endpoint) =>
        factory.SASL.Profile = SaslProfile.Anonymous;

    public string Audience(ServiceBusConnection endpoint, string entityAddress) =>
        $"sb://{endpoint.Host}/{entityAddress.TrimStart('/')}";

    public virtual string EntityAddress(string queue) => queue;

    public virtual string DeadLetterAddress(string queue) => queue + "/$deadletterqueue";

    /// <summary>Service Bus queues are declared with the namespace (infra/main.bicep), not by the app.</summary>
    public virtual Task EnsureQueueAsync(string queue, CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual async Task SendAsync(AmqpLinks links, string queue, Message message, DateTimeOffset? scheduledAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (scheduledAt is { } at)
        {
            message.MessageAnnotations ??= new MessageAnnotations();
            message.MessageAnnotations.Map[AmqpMessages.ScheduledEnqueueTime] = at.UtcDateTime;
        }
        await SendToAsync(links, EntityAddress(queue), message, cancellationToken);
    }

    /// <summary>False when the message is not for handlers yet (a broker without scheduling); the dialect has dealt with it.</summary>
    public virtual Task<bool> IsDueAsync(AmqpLinks links, AmqpDelivery delivery, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    /// <summary>Service Bus counts earlier failed deliveries in the header; ours start at 1.</summary>
    public virtual int DeliveryCount(Message message) => (int)(message.Header?.DeliveryCount ?? 0) + 1;

    public virtual string LockToken(Message message) =>
        AmqpMessages.Annotation<Guid>(message, AmqpMessages.LockToken) is var token && token != Guid.Empty
            ? token.ToString()
            : new Guid(message.DeliveryTag ?? Guid.NewGuid().ToByteArray()).ToString();

    public virtual DateTimeOffset LockedUntil(Message message, DateTimeOffset now, TimeSpan lockDuration) =>
        AmqpMessages.Annotation<DateTime>(message, AmqpMessages.LockedUntil) is var until && until != default
            ? AmqpMessages.Time(until)!.Value
            : now + lockDuration;

    public virtual Task AbandonAsync(AmqpLinks links, AmqpDelivery delivery, int deliveryCount, CancellationToken cancellationToken)
    {
        delivery.Link.Modify(delivery.Message, deliveryFailed: true, undeliverableHere: false, null);
        return Task.CompletedTask;
    }

    /// <summary>Whether the broker drops a lock that is not renewed, so a delayed abandon must keep renewing.</summary>
    public virtual bool LocksExpire => true;

    public virtual async Task<DateTimeOffset> RenewLockAsync(AmqpLinks links, AmqpDelivery delivery, DateTimeOffset now, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var entity = EntityAddress(delivery.Queue);
        var management = await links.RequestLinkAsync(entity + "/$management", Audience(links.Endpoint, entity), cancellationToken);
        var request = new Message(new Map { ["lock-tokens"] = new[] { Guid.Parse(delivery.LockToken) } })
        {
            ApplicationProperties = new ApplicationProperties
            {
                Map =
                {
                    ["operation"] = RenewLockOperation,
                    ["com.microsoft:server-timeout"] = (uint)links.OperationTimeout.TotalMilliseconds,
                    ["associated-link-name"] = delivery.Link.Name,
                },
            },
        };
        var response = await management.RequestAsync(request, cancellationToken);
        var (code, description) = AmqpRequestLink.Status(response);
        if (code != 200) throw new AmqpException(new Error(new Symbol("com.microsoft:message-lock-lost")) { Description = $"{code} {description}" });
        return response.Body is Map body && body["expirations"] is DateTime[] { Length: > 0 } expirations
            ? AmqpMessages.Time(expirations[0])!.Value
            : now + lockDuration;
    }

    public virtual Task DeadLetterAsync(AmqpLinks links, AmqpDelivery delivery, string reason, string description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        delivery.Link.Reject(delivery.Message, new Error(new Symbol(DeadLetterCondition))
        {
            Description = description,
            Info = new Fields
            {
                [new Symbol(AmqpMessages.DeadLetterReason)] = reason,
                [new Symbol(AmqpMessages.DeadLetterDescription)] = description,
            },
        });
        return Task.CompletedTask;
    }

    /// <summary>Properties the dialect adds for itself, hidden from handlers.</summary>
    public virtual bool IsOwnProperty(string name) => false;

    protected static async Task SendToAsync(AmqpLinks links, string address, Message message, CancellationToken cancellationToken)
    {
        var sender = await links.SenderAsync(address, cancellationToken);
        try
        {
            await sender.SendAsync(message, links.OperationTimeout).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is AmqpException or TimeoutException or ObjectDisposedException)
        {
            links.Forget(sender);
            throw;
        }
    }
}
