using Amqp;
using Amqp.Framing;
using Microsoft.Extensions.Logging.Abstractions;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.Messaging;
using MotCua.Messaging.ServiceBus;

namespace MotCua.FunctionApp.Tests;

/// <summary>The Service Bus transport against RabbitMQ 3.10 over AMQP 1.0: the same contract as the storage queues.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusTransportTests : QueueTransportTests
{
    protected override async Task<IMessageTransport> CreateTransportAsync(string prefix)
    {
        var transport = new ServiceBusTransport(RabbitMq.Options(), TimeProvider.System, NullLogger<ServiceBusTransport>.Instance, prefix);
        await transport.EnsureQueueAsync(Queue, CancellationToken.None);
        return transport;
    }

    protected override async Task SendForeignAsync(string prefix, string text)
    {
        var connection = await new ConnectionFactory().CreateAsync(new Address(RabbitMq.AmqpAddress));
        try
        {
            var sender = new SenderLink(new Session(connection), "stranger", "/amq/queue/" + prefix + Queue);
            await sender.SendAsync(new Message(text) { Header = new Header { Durable = true } });
        }
        finally
        {
            await connection.CloseAsync();
        }
    }
}
