namespace MotCua.Domain.Workflow;

/// <summary>Everything that can be done to a dossier once it is registered.</summary>
public enum DossierAction
{
    Accept,
    Refuse,
    RequestSupplement,
    ReceiveSupplement,
    RequestFees,
    RecordPayment,
    HandOver,
    SubmitForApproval,
    Approve,
    SendBack,
    Finish,
    ReturnResult,
    Withdraw,
    Stop,
}

public static class DossierActionNames
{
    /// <summary>The kebab-case name used in URLs and history.</summary>
    public static string Slug(this DossierAction action) => action switch
    {
        DossierAction.Accept => "accept",
        DossierAction.Refuse => "refuse",
        DossierAction.RequestSupplement => "request-supplement",
        DossierAction.ReceiveSupplement => "receive-supplement",
        DossierAction.RequestFees => "request-fees",
        DossierAction.RecordPayment => "record-payment",
        DossierAction.HandOver => "hand-over",
        DossierAction.SubmitForApproval => "submit-for-approval",
        DossierAction.Approve => "approve",
        DossierAction.SendBack => "send-back",
        DossierAction.Finish => "finish",
        DossierAction.ReturnResult => "return-result",
        DossierAction.Withdraw => "withdraw",
        DossierAction.Stop => "stop",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public static bool TryParse(string? slug, out DossierAction action)
    {
        foreach (var candidate in Enum.GetValues<DossierAction>())
        {
            if (candidate.Slug() == slug)
            {
                action = candidate;
                return true;
            }
        }
        action = default;
        return false;
    }

    /// <summary>Actions whose record must say why.</summary>
    public static bool NeedsComment(this DossierAction action) =>
        action is DossierAction.Refuse or DossierAction.RequestSupplement or DossierAction.RequestFees
            or DossierAction.SendBack or DossierAction.Stop or DossierAction.Withdraw;
}
