using MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

namespace MotCua.Benchmarks;

/// <summary>
/// Serves the local Service Bus peer the tests use on a loopback port, with the app's queues
/// declared, until Ctrl+C: a way to try <c>./scripts/start.sh --service-bus</c> on one machine.
///   dotnet run -c Release --project tests/MotCua.Benchmarks -- servicebus-peer [port]
/// </summary>
public static class ServiceBusPeerCommand
{
    /// <summary>Every queue of infra/main.bicep.</summary>
    private static readonly string[] Queues =
    [
        "document-received", "blob-created", "dossier-events", "dossier-notifications", "push-deliveries",
        "deadline-reminders", "document-signatures", "document-text", "document-index", "document-outcome",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        await using var bus = new LocalServiceBus(port: args.Length > 0 ? int.Parse(args[0]) : null);
        foreach (var queue in Queues) bus.DeclareQueue(queue, maxDeliveryCount: 5, lockDuration: TimeSpan.FromMinutes(1));
        await bus.StartAsync();
        Console.WriteLine(bus.ConnectionString);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
        return 0;
    }
}
