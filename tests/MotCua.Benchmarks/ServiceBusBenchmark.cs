using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Amqp;
using Amqp.Framing;
using Microsoft.Extensions.Logging.Abstractions;
using MotCua.Messaging;
using MotCua.Messaging.ServiceBus;

namespace MotCua.Benchmarks;

/// <summary>
/// Messages per second sent and received through the Service Bus transport against a bare
/// AMQPNetLite loop doing the same on the same broker: the same queue type (quorum, declared the
/// same way), the same durable messages of the same size, the same number of sends in flight and
/// the same prefetch, each message accepted once received. Needs RabbitMQ (scripts/rabbitmq.sh).
///   dotnet run -c Release --project tests/MotCua.Benchmarks -- servicebus [messages=5000] [bytes=1024] [rounds=2]
/// </summary>
public static class ServiceBusBenchmark
{
    private const string ConnectionString = "Endpoint=amqp://127.0.0.1:5672/;SharedAccessKeyName=guest;SharedAccessKey=guest";
    private const int InFlight = 16;
    private const int Prefetch = 64;

    public static async Task<int> RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0]) : 5000;
        var bytes = args.Length > 1 ? int.Parse(args[1]) : 1024;
        var rounds = args.Length > 2 ? int.Parse(args[2]) : 2;
        var payload = "{\"text\":\"" + new string('a', Math.Max(0, bytes - 12)) + "\"}";
        var options = new ServiceBusOptions { ConnectionString = ConnectionString, Broker = AmqpBroker.RabbitMq, Prefetch = Prefetch };

        Console.WriteLine($"{messages} messages of {bytes} bytes, {InFlight} sends in flight, prefetch {Prefetch}");
        for (var round = 1; round <= rounds; round++)
        {
            var ours = await TransportAsync(options, messages, payload);
            var bare = await BareAsync(options, messages, payload);
            Console.WriteLine($"round {round}: transport {ours:F0} msg/s, bare AMQPNetLite {bare:F0} msg/s, ratio {ours / bare:F2}");
        }
        return 0;
    }

    private static string Prefix() => "bench" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private static async Task<double> TransportAsync(ServiceBusOptions options, int count, string payload)
    {
        await using var transport = new ServiceBusTransport(options, TimeProvider.System, NullLogger<ServiceBusTransport>.Instance, Prefix());
        await transport.EnsureQueueAsync("q", CancellationToken.None);
        var body = BinaryData.FromString(payload);
        var clock = Stopwatch.StartNew();
        var receiving = Task.Run(async () =>
        {
            var received = 0;
            while (received < count)
            {
                foreach (var message in await transport.ReceiveAsync("q", Prefetch, TimeSpan.FromMinutes(1), CancellationToken.None))
                {
                    await transport.CompleteAsync(message, CancellationToken.None);
                    received++;
                }
            }
        });
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
                await transport.SendAsync("q", new OutgoingMessage($"m-{i}", "bench", body), CancellationToken.None);
        })));
        await receiving;
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> BareAsync(ServiceBusOptions options, int count, string payload)
    {
        // The queue is declared by the transport so both sides use the same queue type and arguments.
        var prefix = Prefix();
        await using (var declaring = new ServiceBusTransport(options, TimeProvider.System, NullLogger<ServiceBusTransport>.Instance, prefix))
            await declaring.EnsureQueueAsync("q", CancellationToken.None);
        var address = "/amq/queue/" + prefix + "q";
        var connection = await new ConnectionFactory().CreateAsync(new Address("amqp://guest:guest@127.0.0.1:5672"));
        try
        {
            var sender = new SenderLink(new Session(connection), "bench-sender", address);
            var receiver = new ReceiverLink(new Session(connection), "bench-receiver", address);
            receiver.SetCredit(Prefetch, CreditMode.Auto);
            var body = Encoding.UTF8.GetBytes(payload);
            var clock = Stopwatch.StartNew();
            var receiving = Task.Run(async () =>
            {
                for (var received = 0; received < count; received++)
                {
                    var message = await receiver.ReceiveAsync(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("The bare receiver got nothing.");
                    receiver.Accept(message);
                }
            });
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    await sender.SendAsync(new Message
                    {
                        BodySection = new Data { Binary = body },
                        Header = new Header { Durable = true },
                        Properties = new Properties { MessageId = $"m-{i}", Subject = "bench" },
                    });
                }
            })));
            await receiving;
            return count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await connection.CloseAsync();
        }
    }
}
