using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Lookup;
using MotCua.FunctionApp.Notifications;

namespace MotCua.FunctionApp.OpenApi;

/// <summary>
/// Example bodies for the operations a citizen's and an official's app use most, written as the API's own
/// types (so they cannot drift from the schemas) with the data of a marriage registration in Nha Trang.
/// </summary>
public static class ApiExamples
{
    private const string Code = "000.20.30.H56-261202-0001";
    private const string Procedure = "Đăng ký kết hôn";
    private static readonly DateTimeOffset Submitted = new(2026, 12, 2, 8, 15, 0, TimeSpan.FromHours(7));
    private static readonly DateTimeOffset Due = new(2026, 12, 7, 17, 0, 0, TimeSpan.FromHours(7));

    private static StatusView Status(DossierStatus status) => StatusView.Of(status);

    private static readonly SubmittedDossier SubmittedDossier = new(Code, "4827163059", Status(DossierStatus.Receiving), 1, Submitted);

    private static readonly DossierView Accepted = new(Code, 4, "1.000656", 1, Procedure, "000.20.30.H56", "online", Status(DossierStatus.Accepted),
        Submitted, Submitted.AddMinutes(40), "4827163059",
        new ApplicantView("Nguyễn Thị Hoa", "001190012345", "0905123456", null, "12 Trần Phú, phường Nha Trang, Khánh Hòa"),
        new ProgressView(0, "Tiếp nhận hồ sơ", "clerk", "000.20.30.H56", Due, Submitted.AddHours(8), "3 ngày 4 giờ làm việc", "3 working days 4 hours",
            null, ["hand-over", "request-fees", "withdraw", "stop"]),
        [new DocumentView("01a234fa47ac7370b7d4615182d94422", "to-khai-dang-ky-ket-hon.pdf", "application/pdf", 48213, new string('a', 64),
            Submitted, Submitted.AddSeconds(2), "pdf", null, "recorded", null, null, "unsigned", "Không có chữ ký số", null, [], null, 1, 1, 0, 0, null)],
        new DocumentChecksView(1, 1, 0, []),
        [new HistoryView(4, Submitted.AddMinutes(40), "can-bo-mot-cua", "accept", Status(DossierStatus.Registered), Status(DossierStatus.Accepted),
            "Hồ sơ đầy đủ", System.Text.Json.JsonSerializer.SerializeToElement(new ActionDetails(null, null, Due, null, null), DossierStore.DetailsJson), new string('b', 64))]);

    private static readonly LookupView Lookup = new(Code, Procedure, "Phường Nha Trang", Status(DossierStatus.Accepted), Submitted, Due,
        "3 ngày 4 giờ làm việc", null,
        [new LookupStep(Submitted, HistoryActionNames.Submitted, "Nộp hồ sơ", "Submitted", Status(DossierStatus.Receiving)),
         new LookupStep(Submitted.AddMinutes(40), "accept", "Tiếp nhận hồ sơ", "Accepted", Status(DossierStatus.Accepted))]);

    private static readonly InboxPage Inbox = new(
        [new NotificationView("0a1b2c3d-accepted", NotificationKinds.Accepted, Code, $"Hồ sơ {Code} đã được tiếp nhận",
            $"{Procedure}: Được tiếp nhận. Hẹn trả kết quả 17:00 07/12/2026.", (int)DossierStatus.Accepted, Due, Submitted.AddMinutes(40), false, null,
            PushPayload.DeepLink(Code))],
        null);

    /// <summary>The examples of one operation, by its name (the function's name).</summary>
    public static IEnumerable<ApiExample> For(string? operationId) => operationId switch
    {
        "SubmitDossier" =>
        [
            new(null, new { dossier = new DossierForm("1.000656", "000.20.30.H56", new ApplicantForm("Nguyễn Thị Hoa", "001190012345", "0905123456")), document = new[] { "(to-khai.pdf)" } }),
            new(201, SubmittedDossier),
            new(200, SubmittedDossier),
        ],
        "TakeAction" => [new(null, new ActionForm("Hồ sơ đầy đủ, đúng thành phần")), new(200, Accepted)],
        "GetDossier" => [new(200, Accepted)],
        "PublicLookup" => [new(200, Lookup)],
        "ListNotifications" => [new(200, Inbox)],
        "CountUnread" => [new(200, new UnreadCount(1))],
        _ => [],
    };
}
