using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.Messaging;
using MotCua.Messaging.ServiceBus;

namespace MotCua.FunctionApp.Tests;

/// <summary>The Service Bus transport, on the official client, against the local Service Bus peer: the same contract as the storage queues.</summary>
public sealed class ServiceBusTransportTests : QueueTransportTests
{
    private readonly List<ServiceBusClient> _clients = [];

    protected override async Task<IMessageTransport> CreateTransportAsync(string prefix)
    {
        var broker = await SharedServiceBus.GetAsync();
        broker.DeclareQueue(prefix + Queue, maxDeliveryCount: 10, lockDuration: TimeSpan.FromSeconds(30));
        var client = new ServiceBusClient(broker.ConnectionString);
        _clients.Add(client);
        return new ServiceBusTransport(client, TimeProvider.System, NullLogger<ServiceBusTransport>.Instance, prefix);
    }

    protected override async Task<long> QueuedAsync(string prefix) => (await SharedServiceBus.GetAsync()).Unsettled(prefix + Queue);

    [Fact]
    public async Task A_message_sent_by_another_client_that_is_not_json_is_dead_lettered_when_the_handler_cannot_read_it()
    {
        var (transport, prefix) = await NewTransportAsync();
        var broker = await SharedServiceBus.GetAsync();
        await using (var stranger = new ServiceBusClient(broker.ConnectionString))
            await stranger.CreateSender(prefix + Queue).SendMessageAsync(new ServiceBusMessage("not json at all"));
        var stop = Consume(transport, (m, _) => m.Body.ToString().StartsWith('{') ? Task.CompletedTask : throw new UnreadableMessageException("not JSON"));

        var letter = await Eventually.GetAsync(async () => (await transport.PeekDeadLettersAsync(Queue, 10, CancellationToken.None)).SingleOrDefault(), "a dead letter");
        await stop();
        Assert.Equal((UnreadableMessageException.Reason, 1), (letter.Reason, letter.Message.DeliveryCount));
    }
}
