using MotCua.Messaging.ServiceBus;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>
/// Real RabbitMQ 3.10 with the AMQP 1.0 plugin: used when it already listens, otherwise started
/// by <c>scripts/rabbitmq.sh</c> (which installs the Debian package if missing) and left running.
/// </summary>
public sealed class RabbitMq : IAsyncLifetime
{
    public const string ConnectionString = "Endpoint=amqp://127.0.0.1:5672/;SharedAccessKeyName=guest;SharedAccessKey=guest";

    public const string AmqpAddress = "amqp://guest:guest@127.0.0.1:5672";

    public static ServiceBusOptions Options() => new() { ConnectionString = ConnectionString, Broker = AmqpBroker.RabbitMq, Prefetch = 16 };

    public static Dictionary<string, string?> AppSettings() => new()
    {
        ["Queues:Transport"] = "ServiceBus",
        ["Queues:ServiceBus:ConnectionString"] = ConnectionString,
        ["Queues:ServiceBus:Broker"] = nameof(AmqpBroker.RabbitMq),
    };

    public async Task InitializeAsync()
    {
        if (await ListeningAsync()) return;
        await ScriptAsync("start");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Stops and starts the broker application: every connection drops, durable queues and their messages stay.</summary>
    public static Task RestartAsync() => ScriptAsync("restart");

    /// <summary>
    /// Messages on a queue, ready or locked, read from the queue itself (rabbitmqctl): the HTTP API's
    /// figures are statistics that lag by seconds.
    /// </summary>
    public static async Task<long> MessagesAsync(string queue)
    {
        var output = await Tools.RunAsync("rabbitmqctl", "-q", "-n", "motcua@localhost", "list_queues", "name", "messages", "--no-table-headers");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split('\t', StringSplitOptions.TrimEntries);
            if (fields.Length == 2 && fields[0] == queue) return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"RabbitMQ has no queue {queue}.");
    }

    private static Task ScriptAsync(string command) =>
        Tools.RunAsync("bash", Path.Combine(RepositoryRoot.Path, "scripts", "rabbitmq.sh"), command);

    private static Task<bool> ListeningAsync() => LocalPorts.AllListeningAsync(5672, 15672);
}
