using MotCua.Domain.Dossiers;
using MotCua.Domain.Workflow;
using MotCua.FunctionApp.Dossiers;

namespace MotCua.FunctionApp.Notifications;

public static class NotificationKinds
{
    public const string Registered = "registered";
    public const string Accepted = "accepted";
    public const string InProgress = "in-progress";
    public const string HandedOver = "handed-over";
    public const string SupplementRequested = "supplement-requested";
    public const string SupplementReceived = "supplement-received";
    public const string FeesRequested = "fees-requested";
    public const string FeesPaid = "fees-paid";
    public const string Withdrawn = "withdrawn";
    public const string Resolved = "resolved";
    public const string ResultReturned = "result-returned";
    public const string ResultIssued = "result-issued";
    public const string ResultCancelled = "result-cancelled";
    public const string Refused = "refused";
    public const string Stopped = "stopped";
    public const string Arrived = "arrived";
    public const string SentBack = "sent-back";
    public const string ApprovalWaiting = "approval-waiting";
    public const string DueSoon = "due-soon";
    public const string Overdue = "overdue";
}

/// <summary>Who a notification is for: one citizen, or the officials of a unit with given roles.</summary>
public abstract record Audience;

public sealed record CitizenAudience(string UserId) : Audience;

public sealed record UnitAudience(string Unit, IReadOnlyCollection<string> Roles) : Audience;

public sealed record PlannedNotification(string Kind, Audience Audience);

/// <summary>
/// Who hears what from one change of a dossier. The citizen who owns an online dossier hears of every
/// change of its national status (1–10), their own withdrawal included, and of a hand-over inside
/// processing to the next step or another unit (not of the unit's other internal moves); a dossier taken in at the
/// counter has no owner to tell, its applicant keeps the receipt and the public lookup. Officials hear
/// what is now theirs to do: a dossier arriving at their unit or step, an approval waiting, a dossier
/// sent back to them, a paused dossier resuming, and a withdrawal or stop of what they were handling.
/// Document checks and additions inform nobody. An official is not told of their own act.
/// </summary>
public static class NotificationPlanner
{
    private static readonly HashSet<string> Quiet = ["document-checked", "document-added"];

    public static bool IsQuiet(string action) => Quiet.Contains(action);

    public static IReadOnlyList<PlannedNotification> Plan(DossierEvent e)
    {
        if (Quiet.Contains(e.Action)) return [];
        var plan = new List<PlannedNotification>();
        var to = (DossierStatus)e.To;
        if (e.OwnerId.Length > 0 && e.From != e.To && CitizenKind(e.Action, to) is { } kind)
            plan.Add(new PlannedNotification(kind, new CitizenAudience(e.OwnerId)));
        else if (e.OwnerId.Length > 0 && IsHandOverInsideProcessing(e))
            plan.Add(new PlannedNotification(NotificationKinds.HandedOver, new CitizenAudience(e.OwnerId)));
        if (OfficialNotification(e, to) is { } official) plan.Add(official);
        return plan;
    }

    /// <summary>A dossier in progress passed on to the next step or to another unit: its status stays 4, its place changes.</summary>
    public static bool IsHandOverInsideProcessing(DossierEvent e) =>
        e.Action == DossierAction.HandOver.Slug() && e.From == (int)DossierStatus.InProgress && e.To == (int)DossierStatus.InProgress
        && (e.PreviousStep is not null || e.PreviousHolderUnit is not null);

    private static PlannedNotification? OfficialNotification(DossierEvent e, DossierStatus to)
    {
        var registered = e.From == (int)DossierStatus.Receiving && to == DossierStatus.Registered;
        // A new step is an arrival too, for the role that takes it, even when the unit stays the same.
        var moved = e.PreviousHolderUnit is not null || e.PreviousStep is not null;
        var open = to is DossierStatus.Registered or DossierStatus.Accepted or DossierStatus.InProgress;
        // Before handling starts, and after the result is ready, the dossier is the receiving desk's.
        var holders = new UnitAudience(e.HolderUnit, [to == DossierStatus.InProgress ? e.StepRole ?? ActorRoles.Clerk : ActorRoles.Clerk]);
        var resumed = (DossierStatus)e.From is DossierStatus.SupplementRequested or DossierStatus.FeesRequested && open;
        var holdersBefore = new UnitAudience(e.HolderUnit, [e.StepRole ?? ActorRoles.Clerk]);
        return e.Action switch
        {
            _ when e.Action == DossierAction.SendBack.Slug() => new(NotificationKinds.SentBack, holders),
            _ when e.StepRole == ActorRoles.Chairman && to == DossierStatus.InProgress && (moved || e.Action == DossierAction.SubmitForApproval.Slug()) =>
                new(NotificationKinds.ApprovalWaiting, new UnitAudience(e.HolderUnit, [ActorRoles.Chairman])),
            _ when resumed => new(CitizenKind(e.Action, to)!, holders),
            _ when open && (registered || moved) => new(NotificationKinds.Arrived, holders),
            _ when to is DossierStatus.Withdrawn or DossierStatus.Stopped => new(CitizenKind(e.Action, to)!, holdersBefore),
            _ => null,
        };
    }

    /// <summary>What the citizen is told of a change of status: by what brought it when a paused dossier resumes, else by the status reached.</summary>
    private static string? CitizenKind(string action, DossierStatus to) => action switch
    {
        _ when action == DossierAction.ReceiveSupplement.Slug() => NotificationKinds.SupplementReceived,
        _ when action == DossierAction.RecordPayment.Slug() => NotificationKinds.FeesPaid,
        _ => to switch
        {
            DossierStatus.Registered => NotificationKinds.Registered,
            DossierStatus.Accepted => NotificationKinds.Accepted,
            DossierStatus.RefusedAtIntake => NotificationKinds.Refused,
            DossierStatus.InProgress => NotificationKinds.InProgress,
            DossierStatus.SupplementRequested => NotificationKinds.SupplementRequested,
            DossierStatus.FeesRequested => NotificationKinds.FeesRequested,
            DossierStatus.Withdrawn => NotificationKinds.Withdrawn,
            DossierStatus.Stopped => NotificationKinds.Stopped,
            DossierStatus.Resolved => NotificationKinds.Resolved,
            DossierStatus.Returned => NotificationKinds.ResultReturned,
            _ => null,
        },
    };
}
