using MotCua.Domain.Deadlines;
using MotCua.Domain.Dossiers;

namespace MotCua.Domain.Workflow;

/// <summary>
/// What the workflow needs to know of a dossier. <see cref="Step"/> is the index of the current
/// internal step while in progress (−1 before handling starts); <see cref="ResumeTo"/> is where a
/// paused dossier (supplement, fees) goes back to.
/// </summary>
public sealed record DossierState(
    DossierStatus Status,
    string ReceivingUnit,
    string OwnerId,
    string HolderUnit,
    int Step = -1,
    DossierStatus? ResumeTo = null,
    Deadline? Overall = null,
    Deadline? StepDeadline = null,
    DateTimeOffset? FinishedAt = null,
    Timeliness? Timeliness = null);

/// <summary>What the caller asks for, beyond the action itself.</summary>
public sealed record ActionRequest(DossierAction Action, string? Comment = null, string? TargetUnit = null);

/// <summary>Facts from outside the dossier that a decision needs.</summary>
public sealed record WorkflowContext(IReadOnlyList<WorkflowStep> Steps, decimal ProcessingDays, WorkingCalendar Calendar, DateTimeOffset Now);

public abstract record WorkflowDecision;

public sealed record Applied(DossierState State, StatusChange Change) : WorkflowDecision;

/// <summary>The action does not fit the dossier's status now (409).</summary>
public sealed record NotNow(DossierStatus Status, IReadOnlyList<DossierAction> AllowedNow) : WorkflowDecision;

/// <summary>The action fits, but not for this actor (403).</summary>
public sealed record NotYours(string ReasonVi, string ReasonEn) : WorkflowDecision;

/// <summary>The request itself is incomplete (400): a missing reason, an unknown target.</summary>
public sealed record Incomplete(string Field, string ReasonVi, string ReasonEn) : WorkflowDecision;
