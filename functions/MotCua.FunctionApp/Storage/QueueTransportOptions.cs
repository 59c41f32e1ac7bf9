namespace MotCua.FunctionApp.Storage;

public enum QueueTransportKind
{
    /// <summary>Azure Storage Queues: the default, served by Azurite locally.</summary>
    StorageQueues,

    /// <summary>Azure Service Bus through its official client, reached through the <c>ServiceBusConnection</c> setting.</summary>
    ServiceBus,
}

/// <summary>Which queue transport carries the processing steps (<c>Queues:Transport</c>).</summary>
public sealed class QueueTransportOptions
{
    public const string Section = "Queues";

    public QueueTransportKind Transport { get; set; } = QueueTransportKind.StorageQueues;
}
