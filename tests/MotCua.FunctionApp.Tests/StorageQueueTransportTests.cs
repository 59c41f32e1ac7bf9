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

    protected override async Task<long> QueuedAsync(string prefix) =>
        (await Service.GetQueueClient(prefix + Queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    [Fact]
    public async Task Text_that_is_not_our_envelope_goes_to_the_dead_letters_unhandled()
    {
        var (transport, prefix) = await NewTransportAsync();
        await Service.GetQueueClient(prefix + Queue).SendMessageAsync("not json at all");
        var handled = 0;
        var stop = Consume(transport, (_, _) => { Interlocked.Increment(ref handled); return Task.CompletedTask; });

        var letter = await Eventually.GetAsync(async () => (await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None)).SingleOrDefault(), "a dead letter");
        await stop();
        Assert.Equal("UnreadableEnvelope", letter.Reason);
        Assert.Equal(0, handled);
    }
}
