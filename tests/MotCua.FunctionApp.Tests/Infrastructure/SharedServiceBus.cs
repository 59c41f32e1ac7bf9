using MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>One local Service Bus for the whole test run, started on first use; each app or test declares its own prefixed queues on it.</summary>
public static class SharedServiceBus
{
    private static readonly Lazy<Task<LocalServiceBus>> Broker = new(async () =>
    {
        var broker = new LocalServiceBus();
        await broker.StartAsync();
        return broker;
    });

    public static Task<LocalServiceBus> GetAsync() => Broker.Value;

    /// <summary>Messages on a queue that are not yet settled: ready, locked, scheduled or deferred.</summary>
    public static long Unsettled(this LocalServiceBus broker, string queue) =>
        broker.Counts(queue) is var c ? c.Active + c.Locked + c.Scheduled + c.Deferred : 0;
}
