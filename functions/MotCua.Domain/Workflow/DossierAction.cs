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

    /// <summary>What the action is called at the one-stop desk, as the citizen and the tracking sheet read it.</summary>
    public static string Vietnamese(this DossierAction action) => action switch
    {
        DossierAction.Accept => "Tiếp nhận hồ sơ",
        DossierAction.Refuse => "Từ chối tiếp nhận hồ sơ",
        DossierAction.RequestSupplement => "Yêu cầu bổ sung hồ sơ",
        DossierAction.ReceiveSupplement => "Nhận hồ sơ bổ sung",
        DossierAction.RequestFees => "Yêu cầu thực hiện nghĩa vụ tài chính",
        DossierAction.RecordPayment => "Ghi nhận đã nộp phí, lệ phí",
        DossierAction.HandOver => "Chuyển xử lý",
        DossierAction.SubmitForApproval => "Trình phê duyệt",
        DossierAction.Approve => "Phê duyệt",
        DossierAction.SendBack => "Trả lại để xử lý lại",
        DossierAction.Finish => "Hoàn thành xử lý",
        DossierAction.ReturnResult => "Trả kết quả",
        DossierAction.Withdraw => "Rút hồ sơ",
        DossierAction.Stop => "Dừng xử lý",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public static string English(this DossierAction action) => action switch
    {
        DossierAction.Accept => "Accepted",
        DossierAction.Refuse => "Refused at intake",
        DossierAction.RequestSupplement => "Supplement requested",
        DossierAction.ReceiveSupplement => "Supplement received",
        DossierAction.RequestFees => "Fees requested",
        DossierAction.RecordPayment => "Payment recorded",
        DossierAction.HandOver => "Handed over",
        DossierAction.SubmitForApproval => "Submitted for approval",
        DossierAction.Approve => "Approved",
        DossierAction.SendBack => "Sent back for rework",
        DossierAction.Finish => "Processing finished",
        DossierAction.ReturnResult => "Result returned",
        DossierAction.Withdraw => "Withdrawn",
        DossierAction.Stop => "Processing stopped",
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
