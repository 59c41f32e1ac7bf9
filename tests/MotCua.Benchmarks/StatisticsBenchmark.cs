using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Statistics;
using MotCua.FunctionApp.Storage;

namespace MotCua.Benchmarks;

/// <summary>
/// Unit statistics over generated dossiers, against a bare scan of the same table rows (same
/// filter, same columns, nothing computed), in one run.
/// </summary>
internal static class StatisticsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        // statistics [count] [--reuse]: --reuse measures the rows an earlier run generated in this Azurite
        // (generation grows slower with the store's size: 100,000 rows take about 25 minutes). Every generated dossier is accepted on
        // the day it is submitted, all within the period, so all of them are received in it.
        var count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 100_000;
        var reuse = args.Contains("--reuse") ? await EarlierPrefixAsync() : null;
        await using var bench = await BenchmarkApp.StartAsync("s", "chairman-001", prefix: reuse);
        var (app, http) = (bench.App, bench.Http);
        var tables = app.Services.GetRequiredService<MotCuaTables>();
        var unit = DemoData.NhaTrangWard;
        var first = new DateOnly(2026, 8, 1);
        var days = 100;

        var clock = Stopwatch.StartNew();
        await GenerateAsync(tables, unit, first, days, count, onlyBackfill: reuse is not null);
        Console.WriteLine(reuse is null
            ? $"Generated {count} dossiers over {days} days in {clock.Elapsed.TotalSeconds:F0} s"
            : $"Reused {count} dossiers of {reuse}; acceptance and lost-time columns written in {clock.Elapsed.TotalSeconds:F0} s");

        var last = first.AddDays(days - 1);
        var url = $"/api/units/{unit}/statistics?from={first:yyyy-MM-dd}&to={last:yyyy-MM-dd}";

        var api = new List<double>();
        var raw = new List<double>();
        int received = 0, scanned = 0;
        for (var run = 0; run < 3; run++)
        {
            clock.Restart();
            using (var document = JsonDocument.Parse(await http.GetStringAsync(url))) received = document.RootElement.GetProperty("received").GetInt32();
            api.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            scanned = 0;
            await foreach (var _ in tables.Dossiers.QueryAsync<TableEntity>(UnitStatistics.RangeFilter(unit, last), select: UnitStatistics.Columns)) scanned++;
            raw.Add(clock.Elapsed.TotalMilliseconds);
        }
        if (received != count || scanned != count) throw new InvalidOperationException($"Counted {received} and scanned {scanned} of {count}.");

        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        Console.WriteLine();
        Console.WriteLine("| run | median of 3, ms | rows |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| statistics endpoint (HTTP, figures and late list) | {Median(api):F0} | {received} |");
        Console.WriteLine($"| raw scan of the same rows and columns | {Median(raw):F0} | {scanned} |");
        Console.WriteLine();
        Console.WriteLine($"Statistics / raw scan time: {Median(api) / Median(raw):F2}");
        return 0;
    }

    private static async Task<string> EarlierPrefixAsync()
    {
        var service = new TableServiceClient(Environment.GetEnvironmentVariable("Storage__ConnectionString") ?? "UseDevelopmentStorage=true");
        await foreach (var table in service.QueryAsync())
        {
            if (table.Name.StartsWith('s') && table.Name.EndsWith("dossiers", StringComparison.Ordinal)) return table.Name[..^"dossiers".Length];
        }
        throw new InvalidOperationException("No earlier statistics run in this Azurite.");
    }

    private static async Task GenerateAsync(MotCuaTables tables, string unit, DateOnly first, int days, int count, bool onlyBackfill)
    {
        var next = -1;
        var done = 0;
        var clock = Stopwatch.StartNew();
        var submittedAt = new DateTimeOffset(first.ToDateTime(new TimeOnly(9, 0)), VietnamTime.Offset);
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var day = first.AddDays(i * days / count);
                var code = new DossierCode(unit, day, i % (count / days + 1) + 1).ToString();
                var (status, timeliness) = (i % 20) switch
                {
                    < 11 => (DossierStatus.Returned, "BeforeDeadline"),
                    < 13 => (DossierStatus.Returned, "OnTime"),
                    13 => (DossierStatus.Returned, "Late"),
                    14 => (DossierStatus.Resolved, "BeforeDeadline"),
                    15 or 16 => (DossierStatus.InProgress, null),
                    17 => (DossierStatus.RefusedAtIntake, null),
                    18 => (DossierStatus.Withdrawn, null),
                    _ => (DossierStatus.SupplementRequested, null),
                };
                var at = submittedAt.AddDays(day.DayNumber - first.DayNumber);
                var lostTime = timeliness == "Late"
                    ? LostTimeLog.Append(null, new LostTime("Thụ lý, thẩm định hồ sơ", unit, "specialist-001", at.AddDays(4), at.AddDays(8)))
                    : null;
                if (onlyBackfill)
                {
                    // Rows of runs made before these columns were generated: every dossier is received on its day.
                    var columns = new TableEntity(code, DossierRows.Dossier) { ["AcceptedAt"] = at };
                    if (lostTime is not null) columns["LostTime"] = lostTime;
                    await tables.Dossiers.UpdateEntityAsync(columns, Azure.ETag.All, TableUpdateMode.Merge);
                    continue;
                }
                await tables.Dossiers.AddEntityAsync(new DossierEntity
                {
                    PartitionKey = code, DossierId = Guid.NewGuid().ToString("N"), ProcedureCode = "1.000656", ProcedureVersion = 1,
                    ProcedureName = "Đăng ký kết hôn", ReceivingUnit = unit, HolderUnit = unit, Channel = i % 3 == 0 ? "counter" : "online",
                    SubmittedBy = "citizen-001", OwnerId = "citizen-001", SubmittedAt = at, AcceptedAt = at, UpdatedAt = at, Status = (int)status,
                    Timeliness = timeliness, DueAt = at.AddDays(7), FinishedAt = timeliness is null ? null : at.AddDays(timeliness == "Late" ? 9 : 4),
                    DocumentCount = 1, HistoryCount = 6, LastHistoryHash = new string('0', 64), LookupPin = "123456",
                    ApplicantName = "Nguyễn Thị Hoa", ApplicantNameFolded = "nguyen thi hoa", ApplicantIdNumber = "001190012345",
                    LostTime = lostTime,
                });
                if (Interlocked.Increment(ref done) % 5000 == 0) Console.WriteLine($"  {done} rows, {clock.Elapsed.TotalSeconds:F0} s");
            }
        }));
    }
}
