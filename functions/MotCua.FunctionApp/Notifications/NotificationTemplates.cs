using System.Globalization;
using MotCua.Domain.Dossiers;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// What a notification says about a dossier; <paramref name="Comment"/> is the reason the change carried, if any;
/// <paramref name="HandedTo"/> where a hand-over inside processing took it.
/// </summary>
public sealed record NotificationFacts(string Kind, string DossierCode, string ProcedureName, DossierStatus Status, DateTimeOffset? DueAt, string? Comment = null,
    HandOverPlace? HandedTo = null);

/// <summary>Where a hand-over took a dossier: the name of the step it reached, or of the unit that holds it now when that changed.</summary>
public sealed record HandOverPlace(string? StepName, string? UnitName);

/// <summary>
/// The words of every notification, in Vietnamese and English (by the recipient's locale;
/// Vietnamese when it is unknown), with the dossier code, procedure, new status, due date and reason.
/// </summary>
public static class NotificationTemplates
{
    /// <summary>A reason is quoted up to this many characters, so a push stays within FCM's 4 KB.</summary>
    public const int MaxQuotedReason = 200;

    public static (string Title, string Body) Render(NotificationFacts f, string? locale)
    {
        var english = locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
        var due = f.DueAt is { } at ? Format(at, english) : null;
        var status = english ? f.Status.English() : f.Status.Vietnamese();
        var reason = Quote(f.Comment);
        var (code, procedure) = (f.DossierCode, f.ProcedureName);
        return (english, f.Kind) switch
        {
            (false, NotificationKinds.Registered) => ($"Hồ sơ {code} đã được đăng ký", $"{procedure}: {status}. Hồ sơ đang chờ cán bộ một cửa tiếp nhận."),
            (true, NotificationKinds.Registered) => ($"Dossier {code} registered", $"{procedure}: {status}. It waits for the one-stop desk to accept it."),
            (false, NotificationKinds.Accepted) => ($"Hồ sơ {code} đã được tiếp nhận", $"{procedure}: {status}." + (due is null ? "" : $" Hẹn trả kết quả {due}.")),
            (true, NotificationKinds.Accepted) => ($"Dossier {code} accepted", $"{procedure}: {status}." + (due is null ? "" : $" Result due {due}.")),
            (false, NotificationKinds.InProgress) => ($"Hồ sơ {code} đang được xử lý", $"{procedure}: {status}." + (due is null ? "" : $" Hẹn trả kết quả {due}.")),
            (true, NotificationKinds.InProgress) => ($"Dossier {code} is being handled", $"{procedure}: {status}." + (due is null ? "" : $" Result due {due}.")),
            (false, NotificationKinds.HandedOver) => ($"Hồ sơ {code} đã được chuyển {Place(f.HandedTo, english)}", $"{procedure}: {status}." + (due is null ? "" : $" Hẹn trả kết quả {due}.")),
            (true, NotificationKinds.HandedOver) => ($"Dossier {code} {Place(f.HandedTo, english)}", $"{procedure}: {status}." + (due is null ? "" : $" Result due {due}.")),
            (false, NotificationKinds.SupplementRequested) => ($"Hồ sơ {code} cần bổ sung giấy tờ", $"{procedure}: {status}." + (reason is null ? " Mở ứng dụng để xem giấy tờ cần bổ sung." : $" Cần bổ sung: {reason}")),
            (true, NotificationKinds.SupplementRequested) => ($"Dossier {code} needs more documents", $"{procedure}: {status}." + (reason is null ? " Open the app to see what is missing." : $" Needed: {reason}")),
            (false, NotificationKinds.SupplementReceived) => ($"Hồ sơ {code} đã nhận đủ giấy tờ bổ sung", $"{procedure}: {status}. Thời hạn giải quyết được tính tiếp." + (due is null ? "" : $" Hẹn trả kết quả {due}.")),
            (true, NotificationKinds.SupplementReceived) => ($"Dossier {code}: supplement received", $"{procedure}: {status}. The processing time runs again." + (due is null ? "" : $" Result due {due}.")),
            (false, NotificationKinds.FeesRequested) => ($"Hồ sơ {code}: nộp phí, lệ phí", $"{procedure}: {status}." + (reason is null ? "" : $" Nội dung: {reason}")),
            (true, NotificationKinds.FeesRequested) => ($"Dossier {code}: fees to pay", $"{procedure}: {status}." + (reason is null ? "" : $" Details: {reason}")),
            (false, NotificationKinds.FeesPaid) => ($"Hồ sơ {code} đã hoàn thành nghĩa vụ tài chính", $"{procedure}: {status}. Thời hạn giải quyết được tính tiếp." + (due is null ? "" : $" Hẹn trả kết quả {due}.")),
            (true, NotificationKinds.FeesPaid) => ($"Dossier {code}: fees paid", $"{procedure}: {status}. The processing time runs again." + (due is null ? "" : $" Result due {due}.")),
            (false, NotificationKinds.Withdrawn) => ($"Hồ sơ {code} đã được rút theo yêu cầu của người nộp", $"{procedure}: {status}." + (reason is null ? "" : $" Lý do: {reason}")),
            (true, NotificationKinds.Withdrawn) => ($"Dossier {code} withdrawn at the applicant's request", $"{procedure}: {status}." + (reason is null ? "" : $" Reason: {reason}")),
            (false, NotificationKinds.Resolved) => ($"Hồ sơ {code} đã xử lý xong", $"{procedure}: {status}. Kết quả sẵn sàng để nhận."),
            (true, NotificationKinds.Resolved) => ($"Dossier {code} is done", $"{procedure}: {status}. The result is ready to collect."),
            (false, NotificationKinds.ResultIssued) => ($"Kết quả hồ sơ {code} đã được ký số", $"{procedure}: kết quả điện tử có chữ ký số của người có thẩm quyền và của cơ quan. Tải về trong ứng dụng."),
            (true, NotificationKinds.ResultIssued) => ($"Dossier {code}: signed result ready", $"{procedure}: the electronic result, signed by the competent person and by the agency, can be downloaded in the app."),
            (false, NotificationKinds.ResultCancelled) => ($"Kết quả hồ sơ {code} đã bị hủy", $"{procedure}: kết quả đã ban hành bị hủy." + (reason is null ? "" : $" Lý do: {reason}")),
            (true, NotificationKinds.ResultCancelled) => ($"Dossier {code}: result cancelled", $"{procedure}: the issued result was cancelled." + (reason is null ? "" : $" Reason: {reason}")),
            (false, NotificationKinds.ResultReturned) => ($"Hồ sơ {code} đã trả kết quả", $"{procedure}: {status}."),
            (true, NotificationKinds.ResultReturned) => ($"Dossier {code}: result handed over", $"{procedure}: {status}."),
            (false, NotificationKinds.Refused) => ($"Hồ sơ {code} không được tiếp nhận", $"{procedure}: {status}." + (reason is null ? " Xem lý do trong ứng dụng." : $" Lý do: {reason}")),
            (true, NotificationKinds.Refused) => ($"Dossier {code} was not accepted", $"{procedure}: {status}." + (reason is null ? " See the reason in the app." : $" Reason: {reason}")),
            (false, NotificationKinds.Stopped) => ($"Hồ sơ {code} bị dừng xử lý", $"{procedure}: {status}." + (reason is null ? "" : $" Lý do: {reason}")),
            (true, NotificationKinds.Stopped) => ($"Dossier {code} was stopped", $"{procedure}: {status}." + (reason is null ? "" : $" Reason: {reason}")),
            (false, NotificationKinds.Arrived) => ($"Hồ sơ mới {code}", $"{procedure} đã chuyển đến đơn vị." + (due is null ? "" : $" Hạn xử lý {due}.")),
            (true, NotificationKinds.Arrived) => ($"New dossier {code}", $"{procedure} has reached your unit." + (due is null ? "" : $" Due {due}.")),
            (false, NotificationKinds.SentBack) => ($"Hồ sơ {code} bị trả lại để xử lý lại", $"{procedure}: " + (reason is null ? "lãnh đạo trả lại hồ sơ." : $"lãnh đạo trả lại hồ sơ: {reason}") + (due is null ? "" : $" Hạn xử lý {due}.")),
            (true, NotificationKinds.SentBack) => ($"Dossier {code} sent back for rework", $"{procedure}: " + (reason is null ? "the leader sent it back." : $"the leader sent it back: {reason}") + (due is null ? "" : $" Due {due}.")),
            (false, NotificationKinds.ApprovalWaiting) => ($"Hồ sơ {code} chờ phê duyệt", $"{procedure} đang chờ đồng chí ký duyệt." + (due is null ? "" : $" Hạn {due}.")),
            (true, NotificationKinds.ApprovalWaiting) => ($"Dossier {code} awaits approval", $"{procedure} is waiting for your signature." + (due is null ? "" : $" Due {due}.")),
            (false, NotificationKinds.DueSoon) => ($"Hồ sơ {code} sắp đến hạn", $"{procedure}: hạn xử lý {due}."),
            (true, NotificationKinds.DueSoon) => ($"Dossier {code} is due soon", $"{procedure}: due {due}."),
            (false, NotificationKinds.Overdue) => ($"Hồ sơ {code} đã quá hạn", $"{procedure}: quá hạn xử lý từ {due}."),
            (true, NotificationKinds.Overdue) => ($"Dossier {code} is overdue", $"{procedure}: it was due {due}."),
            _ => throw new ArgumentOutOfRangeException(nameof(f), f.Kind, null),
        };
    }

    /// <summary>Where a hand-over took the dossier: the unit when it changed, the step when it changed, or both.</summary>
    private static string Place(HandOverPlace? place, bool english) => (place?.UnitName, place?.StepName, english) switch
    {
        ({ } unit, { } step, false) => $"đến {unit}, bước «{step}»",
        ({ } unit, null, false) => $"đến {unit}",
        (null, var step, false) => $"sang bước «{step}»",
        ({ } unit, { } step, true) => $"passed to {unit}, step «{step}»",
        ({ } unit, null, true) => $"passed to {unit}",
        (null, var step, true) => $"moved on to the step «{step}»",
    };

    /// <summary>The reason as given, ending in a full stop, shortened to whole letters (a Vietnamese letter may carry combining marks).</summary>
    private static string? Quote(string? comment)
    {
        if (string.IsNullOrWhiteSpace(comment)) return null;
        var text = comment.Trim();
        var info = new StringInfo(text);
        if (info.LengthInTextElements > MaxQuotedReason) return info.SubstringByTextElements(0, MaxQuotedReason).TrimEnd() + "…";
        return text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') ? text : text + ".";
    }

    /// <summary>Dates as people in Vietnam read them: local time, day first.</summary>
    private static string Format(DateTimeOffset at, bool english)
    {
        var local = at.ToOffset(TimeSpan.FromHours(7));
        return english
            ? local.ToString("HH:mm, d MMM yyyy", CultureInfo.InvariantCulture)
            : local.ToString("HH 'giờ' mm, 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture);
    }
}
