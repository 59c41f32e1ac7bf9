using MotCua.Domain.Dossiers;
using MotCua.Domain.Workflow;
using MotCua.FunctionApp.Dossiers;

namespace MotCua.FunctionApp.Notifications;

public static class NotificationKinds
{
    public const string Accepted = "accepted";
    public const string SupplementRequested = "supplement-requested";
    public const string FeesRequested = "fees-requested";
    public const string Resolved = "resolved";
    public const string ResultReturned = "result-returned";
    public const string Refused = "refused";
    public const string Stopped = "stopped";
    public const string Arrived = "arrived";
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
/// Who hears what from one change of a dossier: the citizen on every externally visible change;
/// the officials who take it when it arrives at their unit or their step; the chairman when an
/// approval waits. Document checks and additions inform nobody. The one who acted is not told of their own act.
/// </summary>
public static class NotificationPlanner
{
    private static readonly HashSet<string> Quiet = ["document-checked", "document-added"];

    public static bool IsQuiet(string action) => Quiet.Contains(action);

    public static IReadOnlyList<PlannedNotification> Plan(DossierEvent e)
    {
        if (Quiet.Contains(e.Action)) return [];
        var plan = new List<PlannedNotification>();
        if (e.OwnerId.Length > 0 && e.From != e.To && CitizenKind((DossierStatus)e.To) is { } kind)
            plan.Add(new PlannedNotification(kind, new CitizenAudience(e.OwnerId)));

        var registered = e.From == (int)DossierStatus.Receiving && e.To == (int)DossierStatus.Registered;
        // A new step is an arrival too, for the role that takes it, even when the unit stays the same.
        var moved = e.PreviousHolderUnit is not null || e.PreviousStep is not null;
        var open = (DossierStatus)e.To is DossierStatus.Registered or DossierStatus.Accepted or DossierStatus.InProgress;
        if (e.StepRole == ActorRoles.Chairman && open && (moved || e.Action == DossierAction.SubmitForApproval.Slug()))
            plan.Add(new PlannedNotification(NotificationKinds.ApprovalWaiting, new UnitAudience(e.HolderUnit, [ActorRoles.Chairman])));
        else if (open && (registered || moved))
            plan.Add(new PlannedNotification(NotificationKinds.Arrived, new UnitAudience(e.HolderUnit, [e.StepRole ?? ActorRoles.Clerk])));
        return plan;
    }

    private static string? CitizenKind(DossierStatus to) => to switch
    {
        DossierStatus.Accepted => NotificationKinds.Accepted,
        DossierStatus.SupplementRequested => NotificationKinds.SupplementRequested,
        DossierStatus.FeesRequested => NotificationKinds.FeesRequested,
        DossierStatus.Resolved => NotificationKinds.Resolved,
        DossierStatus.Returned => NotificationKinds.ResultReturned,
        DossierStatus.RefusedAtIntake => NotificationKinds.Refused,
        DossierStatus.Stopped => NotificationKinds.Stopped,
        _ => null,
    };
}
