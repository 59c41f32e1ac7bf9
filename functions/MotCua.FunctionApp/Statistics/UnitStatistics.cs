using System.ComponentModel;
using System.Globalization;
using Azure.Data.Tables;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Statistics;

public sealed record Resolved(int BeforeDeadline, int OnTime, int Late)
{
    public int Total => BeforeDeadline + OnTime + Late;
}


public sealed record LateDossier(string Code, string ProcedureName, DateTimeOffset? DueAt, DateTimeOffset? FinishedAt, IReadOnlyList<LostTime> LostTime);

/// <summary>A unit's figures for a period, as the national report has them (<see cref="Identity"/>).</summary>
public sealed record StatisticsView(
    string Unit,
    DateOnly From,
    DateOnly To,
    [property: Description("Dossiers the desk accepted in the period (status 2, được tiếp nhận); a dossier counts in the period of its acceptance, not of its submission.")]
    int Received,
    [property: Description("The received dossiers by channel: online, counter, post.")]
    IReadOnlyDictionary<string, int> ReceivedByChannel,
    [property: Description("Dossiers accepted before the period and still open at its start (kỳ trước chuyển qua).")]
    int CarriedOver,
    [property: Description("Dossiers submitted and not yet accepted, refused or withdrawn at the end of the period (chờ tiếp nhận); never part of the received figures.")]
    int AwaitingReception,
    [property: Description("Received or carried-over dossiers still open at the end of the period, or now while it runs (đang giải quyết).")]
    int InProgress,
    [property: Description("Of those in progress, the ones past their due time (quá hạn).")]
    int Overdue,
    [property: Description("Received or carried-over dossiers resolved in the period, before / on / after the deadline (đã giải quyết).")]
    Resolved Resolved,
    [property: Description("Of those resolved in the period, the ones whose result has been returned (đã trả kết quả).")]
    int Returned,
    [property: Description("Received or carried-over dossiers the citizen withdrew in the period (rút hồ sơ).")]
    int Withdrawn,
    [property: Description("Dossiers refused at intake in the period (không được tiếp nhận); never received.")]
    int Refused,
    [property: Description("Received or carried-over dossiers whose processing stopped in the period (dừng xử lý).")]
    int Stopped,
    [property: Description("Resolved before or on the deadline over all resolved in the period; null when none was resolved.")]
    double? OnTimeRate,
    [property: Description("Received online over all received in the period; null when none was received.")]
    double? OnlineShare,
    [property: Description("Dossiers resolved late in the period or overdue at its end (at most 200), with where the time was lost.")]
    IReadOnlyList<LateDossier> LateDossiers)
{
    /// <summary>How the figures add up, as the national form has it.</summary>
    public const string Identity = "received + carriedOver = resolved.total + withdrawn + stopped + inProgress";
}

/// <summary>
/// Counts a unit's dossiers for a period (Vietnamese dates). Codes begin with the unit and the day
/// of submission, which comes before acceptance, so every dossier received in or carried over into
/// the period is in the unit's partitions up to the period's last day: one contiguous range, read
/// with only the columns the figures need.
/// </summary>
public sealed class UnitStatistics(MotCuaTables tables, TimeProvider time)
{
    public const int MaxLateListed = 200;
    /// <summary>The only columns the figures read.</summary>
    public static readonly string[] Columns =
        ["PartitionKey", nameof(DossierEntity.Status), nameof(DossierEntity.Channel), nameof(DossierEntity.SubmittedAt), nameof(DossierEntity.UpdatedAt),
         nameof(DossierEntity.AcceptedAt), nameof(DossierEntity.ClosedAt), nameof(DossierEntity.Timeliness), nameof(DossierEntity.DueAt),
         nameof(DossierEntity.PausedAt), nameof(DossierEntity.FinishedAt), nameof(DossierEntity.ProcedureName), nameof(DossierEntity.LostTime)];

    /// <summary>Every dossier of the unit submitted up to <paramref name="to"/>.</summary>
    public static string RangeFilter(string unit, DateOnly to) => TableClient.CreateQueryFilter(
        $"PartitionKey ge {unit + "-"} and PartitionKey lt {Prefix(unit, to.AddDays(1))} and RowKey eq {DossierRows.Dossier}");

    public async Task<StatisticsView> ComputeAsync(string unit, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var tally = new PeriodTally(StartOf(from), StartOf(to.AddDays(1)), time.GetUtcNow());
        var lateRows = new List<TableEntity>();
        await foreach (var row in tables.Dossiers.QueryAsync<TableEntity>(RangeFilter(unit, to), select: Columns, cancellationToken: cancellationToken))
        {
            if (tally.Add(Facts(row)) && lateRows.Count < MaxLateListed) lateRows.Add(row);
        }

        var resolved = new Resolved(tally.BeforeDeadline, tally.OnTime, tally.Late);
        var lateDossiers = lateRows.Select(row => new LateDossier(row.PartitionKey, row.GetString(nameof(DossierEntity.ProcedureName)) ?? string.Empty,
            row.GetDateTimeOffset(nameof(DossierEntity.DueAt)), row.GetDateTimeOffset(nameof(DossierEntity.FinishedAt)),
            LostTimeLog.Read(row.GetString(nameof(DossierEntity.LostTime))))).ToList();
        return new StatisticsView(unit, from, to, tally.Received, tally.ReceivedByChannel, tally.CarriedOver, tally.AwaitingReception,
            tally.InProgress, tally.Overdue, resolved, tally.Returned, tally.Withdrawn, tally.Refused, tally.Stopped,
            resolved.Total == 0 ? null : Math.Round((double)(tally.BeforeDeadline + tally.OnTime) / resolved.Total, 4),
            tally.Received == 0 ? null : Math.Round((double)tally.ReceivedByChannel["online"] / tally.Received, 4),
            lateDossiers);
    }

    private static DossierFacts Facts(TableEntity row)
    {
        var status = (DossierStatus)(row.GetInt32(nameof(DossierEntity.Status)) ?? 0);
        var closedAt = row.GetDateTimeOffset(nameof(DossierEntity.ClosedAt));
        // Dossiers closed before the closing time was kept: nothing changes a closed dossier's status, so its last change is when it closed.
        if (closedAt is null && status is DossierStatus.RefusedAtIntake or DossierStatus.Withdrawn or DossierStatus.Stopped)
            closedAt = row.GetDateTimeOffset(nameof(DossierEntity.UpdatedAt));
        return new DossierFacts(row.PartitionKey, status, row.GetString(nameof(DossierEntity.Channel)) ?? "online",
            row.GetDateTimeOffset(nameof(DossierEntity.SubmittedAt)) ?? DateTimeOffset.MinValue, row.GetDateTimeOffset(nameof(DossierEntity.AcceptedAt)),
            closedAt, row.GetDateTimeOffset(nameof(DossierEntity.FinishedAt)), row.GetDateTimeOffset(nameof(DossierEntity.DueAt)),
            row.GetDateTimeOffset(nameof(DossierEntity.PausedAt)), row.GetString(nameof(DossierEntity.Timeliness)));
    }

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), VietnamTime.Offset);

    private static string Prefix(string unit, DateOnly day) => string.Create(CultureInfo.InvariantCulture, $"{unit}-{day:yyMMdd}");
}
