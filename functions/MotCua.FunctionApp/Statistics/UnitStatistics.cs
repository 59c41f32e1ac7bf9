using System.Globalization;
using Azure.Data.Tables;
using MotCua.Domain.Deadlines;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Statistics;

public sealed record Resolved(int BeforeDeadline, int OnTime, int Late)
{
    public int Total => BeforeDeadline + OnTime + Late;
}


public sealed record LateDossier(string Code, string ProcedureName, DateTimeOffset? DueAt, DateTimeOffset? FinishedAt, IReadOnlyList<LostTime> LostTime);

/// <summary>The figures a unit reports for a period, over the dossiers it received in that period.</summary>
public sealed record StatisticsView(
    string Unit,
    DateOnly From,
    DateOnly To,
    int Received,
    IReadOnlyDictionary<string, int> ReceivedByChannel,
    int InProgress,
    int Overdue,
    Resolved Resolved,
    int Returned,
    int Withdrawn,
    int Refused,
    int Stopped,
    double? OnTimeRate,
    double? OnlineShare,
    IReadOnlyList<LateDossier> LateDossiers);

/// <summary>
/// Counts a unit's dossiers received in a period. Codes begin with the unit and the day, so the
/// period is one contiguous range of partitions, read with only the columns the figures need.
/// </summary>
public sealed class UnitStatistics(MotCuaTables tables, TimeProvider time)
{
    public const int MaxLateListed = 200;
    /// <summary>The only columns the figures read.</summary>
    public static readonly string[] Columns =
        ["PartitionKey", nameof(DossierEntity.Status), nameof(DossierEntity.Channel), nameof(DossierEntity.Timeliness), nameof(DossierEntity.DueAt),
         nameof(DossierEntity.PausedAt), nameof(DossierEntity.FinishedAt), nameof(DossierEntity.ProcedureName), nameof(DossierEntity.LostTime)];

    public static string RangeFilter(string unit, DateOnly from, DateOnly to) => TableClient.CreateQueryFilter(
        $"PartitionKey ge {Prefix(unit, from)} and PartitionKey lt {Prefix(unit, to.AddDays(1))} and RowKey eq {DossierRows.Dossier}");

    public async Task<StatisticsView> ComputeAsync(string unit, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var channels = new Dictionary<string, int>(StringComparer.Ordinal) { ["online"] = 0, ["counter"] = 0, ["post"] = 0 };
        int received = 0, inProgress = 0, overdue = 0, before = 0, onTime = 0, late = 0, returned = 0, withdrawn = 0, refused = 0, stopped = 0;
        var lateRows = new List<TableEntity>();
        await foreach (var row in tables.Dossiers.QueryAsync<TableEntity>(RangeFilter(unit, from, to), select: Columns, cancellationToken: cancellationToken))
        {
            received++;
            var channel = row.GetString(nameof(DossierEntity.Channel)) ?? "online";
            channels[channel] = channels.GetValueOrDefault(channel) + 1;
            var status = (DossierStatus)(row.GetInt32(nameof(DossierEntity.Status)) ?? 0);
            var isLate = false;
            switch (status)
            {
                case DossierStatus.Resolved or DossierStatus.Returned:
                    switch (row.GetString(nameof(DossierEntity.Timeliness)))
                    {
                        case nameof(Timeliness.BeforeDeadline): before++; break;
                        case nameof(Timeliness.Late): late++; isLate = true; break;
                        default: onTime++; break;
                    }
                    if (status == DossierStatus.Returned) returned++;
                    break;
                case DossierStatus.Withdrawn: withdrawn++; break;
                case DossierStatus.RefusedAtIntake: refused++; break;
                case DossierStatus.Stopped: stopped++; break;
                default:
                    inProgress++;
                    if (row.GetDateTimeOffset(nameof(DossierEntity.DueAt)) is { } due && due < now && row.GetDateTimeOffset(nameof(DossierEntity.PausedAt)) is null)
                    {
                        overdue++;
                        isLate = true;
                    }
                    break;
            }
            if (isLate && lateRows.Count < MaxLateListed) lateRows.Add(row);
        }

        var resolved = new Resolved(before, onTime, late);
        var lateDossiers = lateRows.Select(row => new LateDossier(row.PartitionKey, row.GetString(nameof(DossierEntity.ProcedureName)) ?? string.Empty,
            row.GetDateTimeOffset(nameof(DossierEntity.DueAt)), row.GetDateTimeOffset(nameof(DossierEntity.FinishedAt)),
            LostTimeLog.Read(row.GetString(nameof(DossierEntity.LostTime))))).ToList();
        return new StatisticsView(unit, from, to, received, channels, inProgress, overdue, resolved, returned, withdrawn, refused, stopped,
            resolved.Total == 0 ? null : Math.Round((double)(before + onTime) / resolved.Total, 4),
            received == 0 ? null : Math.Round((double)channels["online"] / received, 4),
            lateDossiers);
    }

    private static string Prefix(string unit, DateOnly day) => string.Create(CultureInfo.InvariantCulture, $"{unit}-{day:yyMMdd}");
}
