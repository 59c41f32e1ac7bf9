namespace MotCua.Domain.Correspondence;

/// <summary>
/// Where an agency's own document stands on its way out (Decree 30/2020, art. 11–16): drafted,
/// reviewed, signed by the competent person, numbered and sealed by the records clerk, issued to its
/// recipients; or recalled after issuing.
/// </summary>
public enum OutgoingStatus
{
    Draft = 1,
    InReview = 2,
    Returned = 3,
    AwaitingSignature = 4,
    Signed = 5,
    Numbered = 6,
    Issued = 7,
    Recalled = 8,
}

public static class OutgoingStatuses
{
    public static string Code(this OutgoingStatus status) => status switch
    {
        OutgoingStatus.Draft => "draft",
        OutgoingStatus.InReview => "in-review",
        OutgoingStatus.Returned => "returned",
        OutgoingStatus.AwaitingSignature => "awaiting-signature",
        OutgoingStatus.Signed => "signed",
        OutgoingStatus.Numbered => "numbered",
        OutgoingStatus.Issued => "issued",
        OutgoingStatus.Recalled => "recalled",
        _ => status.ToString(),
    };

    public static string Name(this OutgoingStatus status) => status switch
    {
        OutgoingStatus.Draft => "Dự thảo",
        OutgoingStatus.InReview => "Chờ duyệt",
        OutgoingStatus.Returned => "Trả lại để sửa",
        OutgoingStatus.AwaitingSignature => "Chờ ký",
        OutgoingStatus.Signed => "Đã ký, chờ cấp số",
        OutgoingStatus.Numbered => "Đã cấp số, đang đóng dấu",
        OutgoingStatus.Issued => "Đã ban hành",
        OutgoingStatus.Recalled => "Đã thu hồi",
        _ => status.ToString(),
    };

    /// <summary>The drafter may still change the files: nothing has been signed.</summary>
    public static bool IsEditable(this OutgoingStatus status) => status is OutgoingStatus.Draft or OutgoingStatus.Returned;
}
