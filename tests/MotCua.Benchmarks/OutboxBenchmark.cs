using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Storage;
using MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

namespace MotCua.Benchmarks;

/// <summary>
/// Outbox messages per second that <see cref="OutboxDispatcher"/> sends through the Service Bus
/// transport and removes, against a bare <see cref="ServiceBusSender"/> loop doing the same work on
/// the same local peer and the same Azurite: read a dossier's outbox rows, send each, delete them in
/// one batch, 16 dossiers at a time. Each side gets its own freshly written rows.
///   dotnet run -c Release --project tests/MotCua.Benchmarks -- outbox [dossiers=600] [rowsPerDossier=3] [rounds=2]
/// </summary>
public static class OutboxBenchmark
{
    private const int InFlight = 16;
    private static readonly string[] Queues = [QueueNames.DossierEvents, QueueNames.Notifications, QueueNames.DocumentReceived];

    public static async Task<int> RunAsync(string[] args)
    {
        var dossiers = args.Length > 0 ? int.Parse(args[0]) : 600;
        var rowsPerDossier = args.Length > 1 ? int.Parse(args[1]) : 3;
        var rounds = args.Length > 2 ? int.Parse(args[2]) : 2;
        await using var broker = new LocalServiceBus();
        await broker.StartAsync();
        var prefix = "o" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        foreach (var queue in Queues) broker.DeclareQueue(prefix + queue, maxDeliveryCount: 10, lockDuration: TimeSpan.FromMinutes(1));
        await using var bench = await BenchmarkApp.StartAsync("o", "citizen-001", prefix: prefix, settings: new Dictionary<string, string?>
        {
            ["Queues:Transport"] = nameof(QueueTransportKind.ServiceBus),
            ["ServiceBusConnection"] = broker.ConnectionString,
        });
        var tables = bench.App.Services.GetRequiredService<MotCuaTables>();
        var dispatcher = bench.App.Services.GetRequiredService<OutboxDispatcher>();
        await using var client = new ServiceBusClient(broker.ConnectionString);
        var senders = Queues.ToDictionary(q => q, q => client.CreateSender(prefix + q));

        Console.WriteLine($"{dossiers} dossiers × {rowsPerDossier} outbox rows, {InFlight} dossiers at once");
        async Task<double> OursAsync(string tag, int count) =>
            await TimeAsync(await WriteRowsAsync(tables, tag, count, rowsPerDossier), rowsPerDossier, (code, ct) => dispatcher.DispatchAsync(code, pendingMark: null, ct));
        async Task<double> BareAsync(string tag, int count) =>
            await TimeAsync(await WriteRowsAsync(tables, tag, count, rowsPerDossier), rowsPerDossier, (code, ct) => BareDispatchAsync(tables, senders, code, ct));
        // A small round of each first, so neither side pays for the other's warm-up; then the order alternates.
        await OursAsync("WA", 50);
        await BareAsync("WB", 50);
        for (var round = 1; round <= rounds; round++)
        {
            double ours, bare;
            if (round % 2 == 1) (ours, bare) = (await OursAsync($"A{round}", dossiers), await BareAsync($"B{round}", dossiers));
            else (bare, ours) = (await BareAsync($"B{round}", dossiers), await OursAsync($"A{round}", dossiers));
            Console.WriteLine($"round {round}: outbox {ours:F0} msg/s, bare ServiceBusSender {bare:F0} msg/s, ratio {ours / bare:F2}");
        }
        foreach (var sender in senders.Values) await sender.DisposeAsync();
        return 0;
    }

    private static async Task<double> TimeAsync(IReadOnlyList<string> codes, int rowsPerDossier, Func<string, CancellationToken, Task<int>> dispatch)
    {
        var sent = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(codes, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (code, ct) =>
            Interlocked.Add(ref sent, await dispatch(code, ct)));
        clock.Stop();
        if (sent != codes.Count * rowsPerDossier) throw new InvalidOperationException($"Sent {sent} of {codes.Count * rowsPerDossier} messages.");
        return sent / clock.Elapsed.TotalSeconds;
    }

    /// <summary>What the dispatcher does for a dossier, with nothing of ours between the table and the sender.</summary>
    private static async Task<int> BareDispatchAsync(MotCuaTables tables, Dictionary<string, ServiceBusSender> senders, string code, CancellationToken ct)
    {
        var rows = new List<OutboxEntity>();
        await foreach (var row in tables.Dossiers.QueryAsync<OutboxEntity>(DossierRows.PrefixFilter(code, DossierRows.OutboxPrefix), cancellationToken: ct))
            rows.Add(row);
        foreach (var row in rows)
        {
            await senders[row.Queue].SendMessageAsync(new ServiceBusMessage(BinaryData.FromString(row.Body))
            {
                MessageId = row.MessageId, Subject = row.Subject, CorrelationId = code, ContentType = "application/json",
            }, ct);
        }
        await tables.Dossiers.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), ct);
        return rows.Count;
    }

    private static async Task<List<string>> WriteRowsAsync(MotCuaTables tables, string tag, int dossiers, int rowsPerDossier)
    {
        var codes = Enumerable.Range(0, dossiers).Select(i => $"{tag}-{i:D6}").ToList();
        var body = BinaryData.FromString(JsonSerializer.Serialize(new { code = "x", sequence = 1, text = new string('a', 400) }));
        await Parallel.ForEachAsync(codes, new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (code, ct) =>
            await tables.Dossiers.SubmitTransactionAsync(Enumerable.Range(0, rowsPerDossier).Select(i =>
                new TableTransactionAction(TableTransactionActionType.Add, OutboxEntity.Create(code, Queues[i % Queues.Length], "bench", body, null))), ct));
        return codes;
    }
}
