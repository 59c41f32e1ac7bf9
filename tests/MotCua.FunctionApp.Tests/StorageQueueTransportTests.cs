using Azure.Storage.Queues;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.Messaging;
using MotCua.Messaging.StorageQueues;

namespace MotCua.FunctionApp.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueTransportTests : QueueTransportTests
{
    private static readonly QueueServiceClient Service = new("UseDevelopmentStorage=true",
        new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 });

    protected override async Task<IMessageTransport> CreateTransportAsync(string prefix)
    {
        var transport = new StorageQueueTransport(Service, TimeProvider.System, prefix);
        await transport.EnsureQueueAsync(Queue, CancellationToken.None);
        return transport;
    }

    protected override Task SendForeignAsync(string prefix, string text) => Service.GetQueueClient(prefix + Queue).SendMessageAsync(text);
}
