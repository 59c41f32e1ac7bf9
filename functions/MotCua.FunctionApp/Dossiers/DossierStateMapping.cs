using MotCua.Domain.Deadlines;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Workflow;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>Between the stored dossier row and the workflow's view of it.</summary>
public static class DossierStateMapping
{
    public static DossierState ToState(this DossierEntity d) => new(
        (DossierStatus)d.Status,
        d.ReceivingUnit,
        d.OwnerId,
        d.HolderUnit,
        d.Step,
        d.ResumeTo is { } resume ? (DossierStatus)resume : null,
        d.DueAt is { } due ? new Deadline(due, d.PausedAt, d.LeftAtPauseTicks is { } left ? TimeSpan.FromTicks(left) : null) : null,
        d.StepDueAt is { } stepDue ? new Deadline(stepDue, d.StepPausedAt, d.StepLeftAtPauseTicks is { } stepLeft ? TimeSpan.FromTicks(stepLeft) : null) : null,
        d.FinishedAt,
        Enum.TryParse<Timeliness>(d.Timeliness, out var timeliness) ? timeliness : null);

    public static void Store(this DossierEntity d, DossierState s)
    {
        d.Status = (int)s.Status;
        d.HolderUnit = s.HolderUnit;
        d.Step = s.Step;
        d.ResumeTo = s.ResumeTo is { } resume ? (int)resume : null;
        d.DueAt = s.Overall?.DueAt;
        d.PausedAt = s.Overall?.PausedAt;
        d.LeftAtPauseTicks = s.Overall?.LeftAtPause?.Ticks;
        d.StepDueAt = s.StepDeadline?.DueAt;
        d.StepPausedAt = s.StepDeadline?.PausedAt;
        d.StepLeftAtPauseTicks = s.StepDeadline?.LeftAtPause?.Ticks;
        d.FinishedAt = s.FinishedAt;
        d.Timeliness = s.Timeliness?.ToString();
    }
}
