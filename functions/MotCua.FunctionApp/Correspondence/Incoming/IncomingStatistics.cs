using System.ComponentModel;
using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>How one lead department or one handler did: documents finished in the period, on time and late, and those open and overdue at its end.</summary>
public sealed record HandlingFigures(string Id, string Name, int OnTime, int Late, int Open, int Overdue);

/// <summary>An agency's incoming documents for a period (<see cref="Identity"/>).</summary>
public sealed record IncomingStatisticsView(
    string Agency,
    DateOnly From,
    DateOnly To,
    [property: Description("Documents that arrived in the period (văn bản đến), electronic or paper, secret ones included.")]
    int Received,
    [property: Description("Of those received, the ones that arrived through the electronic exchange.")]
    int Electronic,
    [property: Description("Of those received, the paper ones the records clerk took in.")]
    int Paper,
    [property: Description("Of those received, the ones returned to their sender (to date).")]
    int Returned,
    [property: Description("Of those received, the ones registered in the incoming register (to date).")]
    int Registered,
    [property: Description("Of those received, the ones neither registered nor returned yet.")]
    int AwaitingRegistration,
    [property: Description("Documents whose handling finished in the period by their time limit (đúng hạn), whenever they arrived.")]
    int FinishedOnTime,
    [property: Description("Documents whose handling finished in the period after their time limit (trễ hạn).")]
    int FinishedLate,
    [property: Description("Registered documents not finished at the end of the period, or now while it runs (đang xử lý).")]
    int Open,
    [property: Description("Of those open, the ones past their time limit (quá hạn).")]
    int Overdue,
    [property: Description("Finished on time over all finished in the period; null when none finished.")]
    double? OnTimeRate,
    [property: Description("Electronic over all received in the period; null when none arrived.")]
    double? ElectronicShare,
    [property: Description("By lead unit: the lead department, or the unit of the official who leads.")]
    IReadOnlyList<HandlingFigures> ByDepartment,
    [property: Description("By handler: the official the document was passed to, or the one who leads it; a department's document not yet passed on counts for the department only.")]
    IReadOnlyList<HandlingFigures> ByHandler)
{
    public const string Identity = "received = electronic + paper = returned + registered + awaitingRegistration";
}

/// <summary>
/// Counts an agency's incoming documents for a period of Vietnamese days, from the document rows
/// of its partition (only those that arrived before the period's end, with the columns the
/// figures need). A document is received on the day it arrives; finished on the day its handling
/// ends, on time when that day is not after its handler's time limit. Open and overdue are taken
/// at the end of the period, or now while it runs, from what the rows hold now: a time limit
/// changed after the period's end is taken as it is now.
/// </summary>
public sealed class IncomingStatistics(MotCuaTables tables, ProcedureCatalog catalog, TimeProvider time)
{
    private static readonly string[] Columns =
    [
        nameof(IncomingDocumentEntity.Status), nameof(IncomingDocumentEntity.Channel), nameof(IncomingDocumentEntity.ArrivedAt),
        nameof(IncomingDocumentEntity.RegisterNumber), nameof(IncomingDocumentEntity.RegisteredAt), nameof(IncomingDocumentEntity.DirectedAt),
        nameof(IncomingDocumentEntity.LeadUnit), nameof(IncomingDocumentEntity.LeadUser), nameof(IncomingDocumentEntity.Assignee),
        nameof(IncomingDocumentEntity.DueDate), nameof(IncomingDocumentEntity.AssigneeDueDate), nameof(IncomingDocumentEntity.FinishedAt),
        nameof(IncomingDocumentEntity.FinishedBy), nameof(IncomingDocumentEntity.FinishedLate),
    ];

    public async Task<IncomingStatisticsView> ComputeAsync(string agency, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var start = StartOf(from);
        var end = StartOf(to.AddDays(1));
        var now = time.GetUtcNow();
        var asOf = now < end ? now : end;
        var asOfDay = VietnamTime.Today(asOf);
        var directory = await AgencyDirectory.LoadAsync(agency, catalog, tables, cancellationToken);
        var departments = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var handlers = new Dictionary<string, Tally>(StringComparer.Ordinal);
        int received = 0, electronic = 0, returned = 0, registered = 0, onTime = 0, late = 0, open = 0, overdue = 0;

        var filter = $"{IncomingRows.PrefixFilter(agency, IncomingRows.DocumentPrefix)} and {TableClient.CreateQueryFilter($"ArrivedAt lt {end}")}";
        await foreach (var d in tables.Dossiers.QueryAsync<IncomingDocumentEntity>(filter, select: Columns, cancellationToken: cancellationToken))
        {
            if (d.ArrivedAt >= start)
            {
                received++;
                if (d.Channel == "electronic") electronic++;
                if (d.State == IncomingStatus.Returned) returned++;
                else if (d.RegisterNumber is not null) registered++;
            }

            var directed = d.DirectedAt is { } directedAt && directedAt < asOf;
            var lead = directed ? d.LeadUnit ?? (d.LeadUser is { } person ? directory.UnitOf(person) ?? agency : null) : null;
            var handler = directed ? d.Assignee ?? d.LeadUser : null;
            if (d.FinishedAt is { } finished && finished >= start && finished < end)
            {
                handler ??= d.FinishedBy;
                var wasLate = d.FinishedLate == true;
                if (wasLate) late++;
                else onTime++;
                Count(departments, lead, t => t.Finished(wasLate));
                Count(handlers, handler, t => t.Finished(wasLate));
            }
            else if (d.RegisteredAt is { } registeredAt && registeredAt < asOf && !(d.FinishedAt < asOf))
            {
                var isOverdue = directed && d.HandlerDue is { } due && asOfDay > due;
                open++;
                if (isOverdue) overdue++;
                Count(departments, lead, t => t.Opened(isOverdue));
                Count(handlers, handler, t => t.Opened(isOverdue));
            }
        }

        var finishedCount = onTime + late;
        return new IncomingStatisticsView(agency, from, to, received, electronic, received - electronic, returned, registered, received - returned - registered,
            onTime, late, open, overdue,
            finishedCount == 0 ? null : Math.Round((double)onTime / finishedCount, 4),
            received == 0 ? null : Math.Round((double)electronic / received, 4),
            Figures(departments, directory), Figures(handlers, directory));
    }

    private static void Count(Dictionary<string, Tally> groups, string? key, Action<Tally> add)
    {
        if (key is null) return;
        if (!groups.TryGetValue(key, out var tally)) groups[key] = tally = new Tally();
        add(tally);
    }

    private static List<HandlingFigures> Figures(Dictionary<string, Tally> groups, AgencyDirectory directory) =>
        [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new HandlingFigures(g.Key, directory.NameOf(g.Key), g.Value.OnTime, g.Value.Late, g.Value.Open, g.Value.Overdue))];

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), VietnamTime.Offset);

    private sealed class Tally
    {
        public int OnTime { get; private set; }
        public int Late { get; private set; }
        public int Open { get; private set; }
        public int Overdue { get; private set; }

        public void Finished(bool late)
        {
            if (late) Late++;
            else OnTime++;
        }

        public void Opened(bool overdue)
        {
            Open++;
            if (overdue) Overdue++;
        }
    }
}
