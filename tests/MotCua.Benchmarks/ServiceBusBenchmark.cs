using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;
using MotCua.Messaging;
using MotCua.Messaging.ServiceBus;

namespace MotCua.Benchmarks;

/// <summary>
/// Messages per second sent and consumed through the Service Bus transport against a bare loop of
/// the official client doing the same on the same local peer: the same messages of the same size,
/// the same number of sends in flight, the same number of messages handled at once, each message
/// completed once handled. The clock runs from the first send to the last completion.
///   dotnet run -c Release --project tests/MotCua.Benchmarks -- servicebus [messages=5000] [bytes=1024] [rounds=2]
/// </summary>
public static class ServiceBusBenchmark
{
    private const int InFlight = 16;
    private const int Concurrency = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0]) : 5000;
        var bytes = args.Length > 1 ? int.Parse(args[1]) : 1024;
        var rounds = args.Length > 2 ? int.Parse(args[2]) : 2;
        var payload = "{\"text\":\"" + new string('a', Math.Max(0, bytes - 12)) + "\"}";
        await using var broker = new LocalServiceBus();
        await broker.StartAsync();
        await using var client = new ServiceBusClient(broker.ConnectionString);

        Console.WriteLine($"{messages} messages of {bytes} bytes, {InFlight} sends in flight, {Concurrency} handled at once");
        // A small round of each first, so neither side pays for the other's warm-up (JIT, connection, links).
        await TransportAsync(broker, client, 500, payload);
        await BareAsync(broker, client, 500, payload);
        for (var round = 1; round <= rounds; round++)
        {
            // The order alternates, so neither side always runs on the heap the other left behind.
            double ours, bare;
            if (round % 2 == 1) (ours, bare) = (await TransportAsync(broker, client, messages, payload), await BareAsync(broker, client, messages, payload));
            else (bare, ours) = (await BareAsync(broker, client, messages, payload), await TransportAsync(broker, client, messages, payload));
            Console.WriteLine($"round {round}: transport {ours:F0} msg/s, bare ServiceBusSender/processor {bare:F0} msg/s, ratio {ours / bare:F2}");
        }
        return 0;
    }

    /// <summary>Declares <paramref name="queue"/> under a fresh prefix and returns the prefix.</summary>
    internal static string Declare(LocalServiceBus broker, string queue)
    {
        var prefix = "bench" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        broker.DeclareQueue(prefix + queue, maxDeliveryCount: 10, lockDuration: TimeSpan.FromMinutes(1));
        return prefix;
    }

    private static async Task<double> TransportAsync(LocalServiceBus broker, ServiceBusClient client, int count, string payload)
    {
        var prefix = Declare(broker, "q");
        await using var transport = new ServiceBusTransport(client, TimeProvider.System, NullLogger<ServiceBusTransport>.Instance, prefix);
        var body = BinaryData.FromString(payload);
        var handled = 0;
        var all = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var consumer = transport.ConsumeAsync("q", (_, _) =>
        {
            if (Interlocked.Increment(ref handled) == count) all.TrySetResult();
            return Task.CompletedTask;
        }, new MessagePumpOptions { MaxConcurrency = Concurrency }, stop.Token);
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, ct) =>
            await transport.SendAsync("q", new OutgoingMessage($"m-{i}", "bench", body), ct));
        await all.Task;
        // Handled is not yet completed: the clock stops when the broker holds nothing.
        while (broker.Counts(prefix + "q") is { Active: > 0 } or { Locked: > 0 }) await Task.Delay(1);
        clock.Stop();
        await stop.CancelAsync();
        await consumer;
        return count / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> BareAsync(LocalServiceBus broker, ServiceBusClient client, int count, string payload)
    {
        var queue = Declare(broker, "q") + "q";
        await using var sender = client.CreateSender(queue);
        await using var processor = client.CreateProcessor(queue, new ServiceBusProcessorOptions { AutoCompleteMessages = false, MaxConcurrentCalls = Concurrency });
        var body = BinaryData.FromString(payload);
        var completed = 0;
        var all = new TaskCompletionSource();
        processor.ProcessMessageAsync += async args =>
        {
            await args.CompleteMessageAsync(args.Message);
            if (Interlocked.Increment(ref completed) == count) all.TrySetResult();
        };
        processor.ProcessErrorAsync += _ => Task.CompletedTask;
        var clock = Stopwatch.StartNew();
        await processor.StartProcessingAsync();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, ct) =>
            await sender.SendMessageAsync(new ServiceBusMessage(body) { MessageId = $"m-{i}", Subject = "bench", ContentType = "application/json" }, ct));
        await all.Task;
        while (broker.Counts(queue) is { Active: > 0 } or { Locked: > 0 }) await Task.Delay(1);
        clock.Stop();
        await processor.StopProcessingAsync();
        return count / clock.Elapsed.TotalSeconds;
    }
}
