namespace MotCua.FunctionApp.Storage;

public enum QueueTransportKind
{
    /// <summary>Azure Storage Queues: the default, served by Azurite locally.</summary>
    StorageQueues,

    /// <summary>Azure Service Bus over AMQP 1.0 (or RabbitMQ standing in for it), set up under <c>Queues:ServiceBus</c>.</summary>
    ServiceBus,
}

/// <summary>Which queue transport carries the processing steps (<c>Queues:Transport</c>).</summary>
public sealed class QueueTransportOptions
{
    public const string Section = "Queues";

    public QueueTransportKind Transport { get; set; } = QueueTransportKind.StorageQueues;
}
