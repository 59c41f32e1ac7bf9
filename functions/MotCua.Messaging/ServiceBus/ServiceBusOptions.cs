using System.ComponentModel.DataAnnotations;

namespace MotCua.Messaging.ServiceBus;

/// <summary>Which broker speaks AMQP 1.0 at the other end.</summary>
public enum AmqpBroker
{
    /// <summary>Azure Service Bus: CBS tokens, peek-lock with lock renewal, scheduling and dead-letter sub-queues.</summary>
    AzureServiceBus,

    /// <summary>RabbitMQ 3.10 with <c>rabbitmq_amqp1_0</c>, the local stand-in; its differences are in <see cref="RabbitMqDialect"/>.</summary>
    RabbitMq,
}

/// <summary>The Service Bus transport's settings (<c>Queues:ServiceBus</c>).</summary>
public sealed class ServiceBusOptions
{
    public const string Section = "Queues:ServiceBus";

    /// <summary><c>Endpoint=sb://&lt;namespace&gt;.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…</c></summary>
    [Required]
    public string ConnectionString { get; set; } = string.Empty;

    public AmqpBroker Broker { get; set; } = AmqpBroker.AzureServiceBus;

    /// <summary>Messages each receiver link asks for ahead of the handlers.</summary>
    [Range(1, 5000)]
    public int Prefetch { get; set; } = 32;

    /// <summary>How long each SAS token is valid; it is put again at four fifths of this.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a request to the broker (send, CBS, management) may take.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>RabbitMQ only: its HTTP API, which declares queues with the arguments AMQP 1.0 cannot carry.</summary>
    public Uri? ManagementEndpoint { get; set; }

    /// <summary>RabbitMQ only: deliveries after which the broker itself dead-letters a message, for processes that crash on it.</summary>
    [Range(2, 1000)]
    public int DeliveryLimit { get; set; } = 20;
}
