using MotCua.Domain.Deadlines;
using MotCua.Domain.Dossiers;

namespace MotCua.FunctionApp.Statistics;

/// <summary>What the figures need to know of one dossier.</summary>
public sealed record DossierFacts(
    string Code,
    DossierStatus Status,
    string Channel,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? PausedAt,
    string? Timeliness)
{
    /// <summary>When the dossier left the desk's work for good: resolved, refused, withdrawn or stopped; null while open.</summary>
    public DateTimeOffset? LeftAt => Status switch
    {
        DossierStatus.Resolved or DossierStatus.Returned => FinishedAt,
        DossierStatus.RefusedAtIntake or DossierStatus.Withdrawn or DossierStatus.Stopped => ClosedAt,
        _ => null,
    };
}

/// <summary>
/// The national report's figures for one period, [start, end): dossiers received at the desk in the
/// period plus those carried over from before it (received earlier, still open at its start) end
/// the period resolved, withdrawn, stopped or still in progress, so
/// <c>received + carriedOver = resolved + withdrawn + stopped + inProgress</c>. A dossier is
/// received when the desk accepts it; one submitted online and not yet accepted is awaiting
/// reception, and a refusal at intake is counted apart: neither was ever received.
/// Snapshots (in progress, overdue, awaiting reception) are taken at the end of the period, or now
/// while it runs.
/// </summary>
public sealed class PeriodTally(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
{
    private readonly DateTimeOffset _asOf = now < end ? now : end;

    public int Received { get; private set; }
    public Dictionary<string, int> ReceivedByChannel { get; } = new(StringComparer.Ordinal) { ["online"] = 0, ["counter"] = 0, ["post"] = 0 };
    public int CarriedOver { get; private set; }
    public int AwaitingReception { get; private set; }
    public int InProgress { get; private set; }
    public int Overdue { get; private set; }
    public int BeforeDeadline { get; private set; }
    public int OnTime { get; private set; }
    public int Late { get; private set; }
    public int Returned { get; private set; }
    public int Withdrawn { get; private set; }
    public int Stopped { get; private set; }
    public int Refused { get; private set; }

    /// <summary>Counts the dossier; true when it belongs in the list of late dossiers (resolved late in the period, or overdue at its end).</summary>
    public bool Add(DossierFacts d)
    {
        var leftAt = d.LeftAt;
        bool OpenAt(DateTimeOffset instant) => leftAt is not { } left || left >= instant;

        if (d.AcceptedAt is not { } accepted || accepted >= _asOf)
        {
            if (d.Status == DossierStatus.RefusedAtIntake && leftAt >= start && leftAt < _asOf) Refused++;
            else if (d.SubmittedAt < _asOf && OpenAt(_asOf)) AwaitingReception++;
            return false;
        }

        if (accepted < start)
        {
            if (!OpenAt(start)) return false;
            CarriedOver++;
        }
        else
        {
            Received++;
            ReceivedByChannel[d.Channel] = ReceivedByChannel.GetValueOrDefault(d.Channel) + 1;
        }

        if (OpenAt(_asOf))
        {
            InProgress++;
            // A dossier still paused now is taken as paused then: the pause moves its due date once it resumes.
            var paused = leftAt is null && d.PausedAt is not null;
            if (d.DueAt is not { } due || due >= _asOf || paused) return false;
            Overdue++;
            return true;
        }

        switch (d.Status)
        {
            case DossierStatus.Withdrawn: Withdrawn++; return false;
            case DossierStatus.Stopped: Stopped++; return false;
        }
        if (d.Status == DossierStatus.Returned) Returned++;
        switch (d.Timeliness)
        {
            case nameof(Timeliness.BeforeDeadline): BeforeDeadline++; return false;
            case nameof(Timeliness.Late): Late++; return true;
            default: OnTime++; return false;
        }
    }
}
