using System.Globalization;
using MotCua.Domain.Dossiers;

namespace MotCua.FunctionApp.Notifications;

/// <summary>What a notification says about a dossier.</summary>
public sealed record NotificationFacts(string Kind, string DossierCode, string ProcedureName, DossierStatus Status, DateTimeOffset? DueAt);

/// <summary>
/// The words of every notification, in Vietnamese and English (by the recipient's locale;
/// Vietnamese when it is unknown), with the dossier code, procedure, new status and due date.
/// </summary>
public static class NotificationTemplates
{
    public static (string Title, string Body) Render(NotificationFacts f, string? locale)
    {
        var english = locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
        var due = f.DueAt is { } at ? Format(at, english) : null;
        var status = english ? f.Status.English() : f.Status.Vietnamese();
        return (english, f.Kind) switch
        {
            (false, NotificationKinds.Accepted) => ($"Hồ sơ {f.DossierCode} đã được tiếp nhận", $"{f.ProcedureName}: {status}." + (due is null ? "" : $" Hẹn trả kết quả {due}.")),
            (true, NotificationKinds.Accepted) => ($"Dossier {f.DossierCode} accepted", $"{f.ProcedureName}: {status}." + (due is null ? "" : $" Result due {due}.")),
            (false, NotificationKinds.SupplementRequested) => ($"Hồ sơ {f.DossierCode} cần bổ sung giấy tờ", $"{f.ProcedureName}: {status}. Mở ứng dụng để xem giấy tờ cần bổ sung."),
            (true, NotificationKinds.SupplementRequested) => ($"Dossier {f.DossierCode} needs more documents", $"{f.ProcedureName}: {status}. Open the app to see what is missing."),
            (false, NotificationKinds.FeesRequested) => ($"Hồ sơ {f.DossierCode}: nộp phí, lệ phí", $"{f.ProcedureName}: {status}."),
            (true, NotificationKinds.FeesRequested) => ($"Dossier {f.DossierCode}: fees to pay", $"{f.ProcedureName}: {status}."),
            (false, NotificationKinds.Resolved) => ($"Hồ sơ {f.DossierCode} đã xử lý xong", $"{f.ProcedureName}: {status}. Kết quả sẵn sàng để nhận."),
            (true, NotificationKinds.Resolved) => ($"Dossier {f.DossierCode} is done", $"{f.ProcedureName}: {status}. The result is ready to collect."),
            (false, NotificationKinds.ResultReturned) => ($"Hồ sơ {f.DossierCode} đã trả kết quả", $"{f.ProcedureName}: {status}."),
            (true, NotificationKinds.ResultReturned) => ($"Dossier {f.DossierCode}: result handed over", $"{f.ProcedureName}: {status}."),
            (false, NotificationKinds.Refused) => ($"Hồ sơ {f.DossierCode} không được tiếp nhận", $"{f.ProcedureName}: {status}. Xem lý do trong ứng dụng."),
            (true, NotificationKinds.Refused) => ($"Dossier {f.DossierCode} was not accepted", $"{f.ProcedureName}: {status}. See the reason in the app."),
            (false, NotificationKinds.Stopped) => ($"Hồ sơ {f.DossierCode} bị dừng xử lý", $"{f.ProcedureName}: {status}."),
            (true, NotificationKinds.Stopped) => ($"Dossier {f.DossierCode} was stopped", $"{f.ProcedureName}: {status}."),
            (false, NotificationKinds.Arrived) => ($"Hồ sơ mới {f.DossierCode}", $"{f.ProcedureName} đã chuyển đến đơn vị." + (due is null ? "" : $" Hạn xử lý {due}.")),
            (true, NotificationKinds.Arrived) => ($"New dossier {f.DossierCode}", $"{f.ProcedureName} has reached your unit." + (due is null ? "" : $" Due {due}.")),
            (false, NotificationKinds.ApprovalWaiting) => ($"Hồ sơ {f.DossierCode} chờ phê duyệt", $"{f.ProcedureName} đang chờ đồng chí ký duyệt." + (due is null ? "" : $" Hạn {due}.")),
            (true, NotificationKinds.ApprovalWaiting) => ($"Dossier {f.DossierCode} awaits approval", $"{f.ProcedureName} is waiting for your signature." + (due is null ? "" : $" Due {due}.")),
            (false, NotificationKinds.DueSoon) => ($"Hồ sơ {f.DossierCode} sắp đến hạn", $"{f.ProcedureName}: hạn xử lý {due}."),
            (true, NotificationKinds.DueSoon) => ($"Dossier {f.DossierCode} is due soon", $"{f.ProcedureName}: due {due}."),
            (false, NotificationKinds.Overdue) => ($"Hồ sơ {f.DossierCode} đã quá hạn", $"{f.ProcedureName}: quá hạn xử lý từ {due}."),
            (true, NotificationKinds.Overdue) => ($"Dossier {f.DossierCode} is overdue", $"{f.ProcedureName}: it was due {due}."),
            _ => throw new ArgumentOutOfRangeException(nameof(f), f.Kind, null),
        };
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
