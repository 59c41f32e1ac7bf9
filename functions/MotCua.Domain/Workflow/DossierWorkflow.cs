using MotCua.Domain.Deadlines;
using MotCua.Domain.Dossiers;
using static MotCua.Domain.Dossiers.DossierStatus;

namespace MotCua.Domain.Workflow;

/// <summary>
/// The one-stop state machine: which action fits which status and step, who may take it, and the
/// state and clocks that follow. Pure: the caller brings the time and the calendar.
/// </summary>
public static class DossierWorkflow
{
    private static readonly DossierStatus[] Withdrawable = [Registered, Accepted, InProgress, SupplementRequested, FeesRequested];
    private static readonly DossierStatus[] Stoppable = [Accepted, InProgress, SupplementRequested, FeesRequested];

    public static IReadOnlyList<DossierAction> AllowedNow(DossierState state, WorkflowContext context, Actor actor) =>
        [.. Enum.GetValues<DossierAction>().Where(a => Fits(state, context.Steps, a) && Permits(state, context.Steps, actor, a))];

    public static WorkflowDecision Decide(DossierState state, WorkflowContext context, Actor actor, ActionRequest request)
    {
        var action = request.Action;
        if (!Fits(state, context.Steps, action)) return new NotNow(state.Status, AllowedNow(state, context, actor));
        if (!Permits(state, context.Steps, actor, action))
            return new NotYours("Bạn không được thực hiện thao tác này với hồ sơ ở bước hiện tại.", "You may not take this action on the dossier at its current step.");
        if (action.NeedsComment() && string.IsNullOrWhiteSpace(request.Comment))
            return new Incomplete("comment", "Thao tác này cần nêu lý do.", "This action needs a reason.");
        if (action == DossierAction.HandOver && request.TargetUnit is null && state.Status == InProgress && !HasNextHandlingStep(state, context.Steps))
            return new NotNow(state.Status, AllowedNow(state, context, actor));
        if (request.TargetUnit is not null && (action != DossierAction.HandOver || state.Status != InProgress || request.TargetUnit == state.HolderUnit))
            return new Incomplete("targetUnit", "Chỉ chuyển hồ sơ đang xử lý sang một đơn vị khác.", "Only a dossier in progress is handed to a different unit.");

        var next = Apply(state, context, request);
        var comment = request.Comment?.Trim() ?? string.Empty;
        return new Applied(next, new StatusChange(state.Status, next.Status, action.Slug(), comment));
    }

    private static bool Fits(DossierState s, IReadOnlyList<WorkflowStep> steps, DossierAction action) => action switch
    {
        DossierAction.Accept or DossierAction.Refuse => s.Status == Registered,
        DossierAction.RequestSupplement => s.Status is Registered or Accepted or InProgress,
        DossierAction.ReceiveSupplement => s.Status == SupplementRequested,
        DossierAction.RequestFees => s.Status == InProgress,
        DossierAction.RecordPayment => s.Status == FeesRequested,
        DossierAction.HandOver => s.Status == Accepted || (s.Status == InProgress && !Current(s, steps).IsApproval),
        DossierAction.SubmitForApproval => s.Status == InProgress && !Current(s, steps).IsApproval && NextIsApproval(s, steps),
        DossierAction.Approve or DossierAction.SendBack => s.Status == InProgress && Current(s, steps).IsApproval,
        DossierAction.Finish => s.Status == InProgress && s.Step == steps.Count - 1,
        DossierAction.ReturnResult => s.Status == Resolved,
        DossierAction.Withdraw => Withdrawable.Contains(s.Status),
        DossierAction.Stop => Stoppable.Contains(s.Status),
        _ => false,
    };

    private static bool Permits(DossierState s, IReadOnlyList<WorkflowStep> steps, Actor a, DossierAction action)
    {
        var receivingClerk = a.Role == ActorRoles.Clerk && a.Unit == s.ReceivingUnit;
        var stepHolder = s.Status == InProgress && s.Step >= 0 && s.Step < steps.Count && a.Role == steps[s.Step].Role && a.Unit == s.HolderUnit;
        return action switch
        {
            DossierAction.Accept or DossierAction.Refuse or DossierAction.ReceiveSupplement or DossierAction.RecordPayment
                or DossierAction.ReturnResult => receivingClerk,
            DossierAction.RequestSupplement or DossierAction.RequestFees => receivingClerk || stepHolder,
            DossierAction.HandOver => s.Status == Accepted ? receivingClerk : stepHolder,
            DossierAction.SubmitForApproval or DossierAction.Finish or DossierAction.Approve or DossierAction.SendBack => stepHolder,
            DossierAction.Withdraw => a.Role == ActorRoles.Citizen && s.OwnerId.Length > 0 && a.Id == s.OwnerId,
            DossierAction.Stop => a.Role == ActorRoles.Chairman && (a.Unit == s.ReceivingUnit || a.Unit == s.HolderUnit),
            _ => false,
        };
    }

    private static DossierState Apply(DossierState s, WorkflowContext c, ActionRequest request)
    {
        var (calendar, now, steps) = (c.Calendar, c.Now, c.Steps);
        DossierState EnterStep(int index) => s with
        {
            Status = InProgress,
            Step = index,
            HolderUnit = steps[index].Unit ?? s.ReceivingUnit,
            StepDeadline = new Deadline(calendar.AddWorkingTime(now, calendar.WorkingDays(c.ProcessingDays * steps[index].Share))),
        };

        return request.Action switch
        {
            DossierAction.Accept => s with { Status = Accepted, Overall = new Deadline(calendar.Due(now, c.ProcessingDays)) },
            DossierAction.Refuse => s with { Status = RefusedAtIntake },
            DossierAction.RequestSupplement or DossierAction.RequestFees => s with
            {
                Status = request.Action == DossierAction.RequestFees ? FeesRequested : SupplementRequested,
                ResumeTo = s.Status,
                Overall = s.Overall?.Pause(calendar, now),
                StepDeadline = s.StepDeadline?.Pause(calendar, now),
            },
            DossierAction.ReceiveSupplement or DossierAction.RecordPayment => s with
            {
                Status = s.ResumeTo ?? InProgress,
                ResumeTo = null,
                Overall = s.Overall?.Resume(calendar, now),
                StepDeadline = s.StepDeadline?.Resume(calendar, now),
            },
            DossierAction.HandOver when request.TargetUnit is { } target => s with { HolderUnit = target },
            DossierAction.HandOver => EnterStep(s.Status == Accepted ? 0 : s.Step + 1),
            DossierAction.SubmitForApproval or DossierAction.Approve => EnterStep(s.Step + 1),
            DossierAction.SendBack => EnterStep(s.Step - 1),
            DossierAction.Finish => s with
            {
                // The result goes back to the desk that received the dossier, which returns it.
                Status = Resolved,
                HolderUnit = s.ReceivingUnit,
                FinishedAt = now,
                StepDeadline = null,
                Timeliness = s.Overall is { } overall ? Deadline.Classify(now, overall.DueAt) : null,
            },
            DossierAction.ReturnResult => s with { Status = Returned },
            DossierAction.Withdraw => s with { Status = Withdrawn, StepDeadline = null },
            DossierAction.Stop => s with { Status = Stopped, StepDeadline = null },
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Action, null),
        };
    }

    private static WorkflowStep Current(DossierState s, IReadOnlyList<WorkflowStep> steps) =>
        s.Step >= 0 && s.Step < steps.Count ? steps[s.Step] : new WorkflowStep("-", "-", null, 0);

    private static bool NextIsApproval(DossierState s, IReadOnlyList<WorkflowStep> steps) =>
        s.Step + 1 < steps.Count && steps[s.Step + 1].IsApproval;

    private static bool HasNextHandlingStep(DossierState s, IReadOnlyList<WorkflowStep> steps) =>
        s.Step + 1 < steps.Count && !steps[s.Step + 1].IsApproval;
}
