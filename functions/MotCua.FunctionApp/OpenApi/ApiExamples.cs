using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Approvals;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Forms;
using MotCua.FunctionApp.Health;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Lookup;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Search;
using MotCua.FunctionApp.Statistics;
using MotCua.FunctionApp.Worklist;

namespace MotCua.FunctionApp.OpenApi;

/// <summary>
/// Example bodies for every operation that takes or gives JSON, written as the API's own types (so they cannot drift
/// from the schemas) with the data of a marriage registration in Nha Trang and the demo catalogue.
/// </summary>
public static class ApiExamples
{
    private const string Code = "000.20.30.H56-261202-0001";
    private const string Procedure = "Đăng ký kết hôn";
    private const string Unit = "000.20.30.H56";
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

    private const string DocumentId = "01a234fa47ac7370b7d4615182d94422";
    private const string Certificate = "019a8c2e5b7d7f10a3c4e5f60718293a";
    private const string CertificateSha256 = "3f6c1d0e9a8b7c6d5e4f30211203f4e5d6c7b8a9e0f1a2b3c4d5e6f708192a3b";

    private static readonly DocumentView Declaration = Accepted.Documents[0];

    private static readonly UploadTicket Ticket = new(Certificate, false,
        $"https://motcuadocs.blob.core.windows.net/documents/uploads/{Certificate}?sv=2025-07-05&se=2026-12-02T02%3A30%3A00Z&sr=b&sp=cw&sig=…",
        "PUT", new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" }, Submitted.AddMinutes(15), 20 * 1024 * 1024);

    private static readonly DeviceView Phone = new("c2f1a9d04b7e4e3a", "android", "2.4.1", "vi", Submitted);

    private static readonly DeviceKeyView PhoneKey = new("9b1f0c7e2d4a6b8c", "Samsung Galaxy A55 của anh Hùng", Submitted.AddDays(-30), null,
        new DeviceCertificateView("CN=Lê Văn Hùng, SERIALNUMBER=chairman-001, O=UBND phường Nha Trang, C=VN", "CN=VNPT Certification Authority, O=VNPT Group, C=VN",
            "5401a3c2e7d94b1f", Submitted.AddDays(-31), Submitted.AddYears(2)));

    private static readonly Procedure Marriage = DemoData.Procedures.Single(p => p.Code == "1.000656");

    private static readonly CalendarYear Year2027 = new(2027,
        [new(new DateOnly(2027, 1, 1), "Tết Dương lịch"), new(new DateOnly(2027, 2, 5), "Tết Nguyên đán"), new(new DateOnly(2027, 2, 8), "Tết Nguyên đán"),
         new(new DateOnly(2027, 4, 16), "Giỗ Tổ Hùng Vương"), new(new DateOnly(2027, 4, 30), "Ngày Chiến thắng"), new(new DateOnly(2027, 5, 1), "Ngày Quốc tế Lao động"),
         new(new DateOnly(2027, 9, 2), "Quốc khánh")],
        [new DateOnly(2027, 2, 20)]);

    private static readonly WorklistItem Waiting = new(Code, Status(DossierStatus.InProgress), Procedure, "Nguyễn Thị Hoa", "000.20.30.H56",
        2, "Phê duyệt", "chairman", Due.AddDays(-1), Due, Submitted.AddDays(2));

    private static readonly StatisticsView Figures = new("000.20.30.H56", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30),
        Received: 42, ReceivedByChannel: new Dictionary<string, int> { ["online"] = 31, ["counter"] = 10, ["post"] = 1 }, CarriedOver: 6,
        AwaitingReception: 3, InProgress: 9, Overdue: 1, Resolved: new Resolved(30, 4, 2), Returned: 33, Withdrawn: 2, Refused: 1, Stopped: 1,
        OnTimeRate: 0.9444, OnlineShare: 0.7381,
        LateDossiers: [new LateDossier("000.20.30.H56-261105-0007", "Đăng ký thành lập hộ kinh doanh", new DateTimeOffset(2026, 11, 10, 17, 0, 0, TimeSpan.FromHours(7)),
            new DateTimeOffset(2026, 11, 12, 9, 30, 0, TimeSpan.FromHours(7)),
            [new LostTime("Thụ lý, thẩm định hồ sơ", "000.20.30.H56", "specialist-001", new DateTimeOffset(2026, 11, 9, 17, 0, 0, TimeSpan.FromHours(7)),
                new DateTimeOffset(2026, 11, 11, 10, 0, 0, TimeSpan.FromHours(7)))])]);

    private static readonly DateTimeOffset Approved = new(2026, 12, 4, 10, 5, 0, TimeSpan.FromHours(7));
    private const string CheckUrl = "https://motcua.example.vn/api/public/documents/q7Zr2mXc9LwP4tKd1sVbNg";

    private static readonly Issuance.ResultView Draft = new("draft", "dự thảo, chưa ký", "giay-chung-nhan-ket-hon.pdf", 1, Approved.AddHours(-20),
        null, null, null, null, null, CheckUrl);

    private static readonly Issuance.ResultView IssuedResult = new("issued", "đã ban hành", "giay-chung-nhan-ket-hon.pdf", 1, Approved.AddHours(-20),
        "Lê Văn Hùng", Approved, Approved.AddMinutes(40), null, null, CheckUrl);

    private static readonly Issuance.PublicDocumentCheck Check = new(true, "issued", "Văn bản do hệ thống MotCua ban hành, đang có hiệu lực.", Code, Procedure,
        Approved.AddMinutes(40), null, null,
        [
            new Issuance.PublicSignature("Lê Văn Hùng", Approved, false, true, "valid", "Chữ ký hợp lệ"),
            new Issuance.PublicSignature("UBND phường Nha Trang", Approved.AddMinutes(40), true, true, "valid", "Chữ ký hợp lệ"),
        ]);

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
        "AttachResult" => [new(null, "(giay-chung-nhan-ket-hon.pdf)"), new(200, Draft)],
        "GetResult" => [new(200, IssuedResult)],
        "PrepareResultSignature" =>
        [
            new(null, new Issuance.SigningPreparationForm("9b1f0c7e2d4a6b8c")),
            new(200, new Issuance.SigningPreparationView("5f0c2a9e1b7d4c3a8e6f0b2d4c6a8e1f", "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
                "MWkwGAYJKoZIhvcNAQkDMQsGCSqGSIb3DQEHATAvBgkqhkiG9w0BCQQxIgQg…", "ES256", Approved.AddMinutes(10), new string('c', 64))),
        ],
        "CancelResult" =>
        [
            new(null, new Issuance.CancelResultForm("Ghi sai ngày sinh của người được cấp giấy chứng nhận")),
            new(200, IssuedResult with { Stage = "cancelled", StageText = "đã hủy", CancelledAt = Approved.AddDays(2),
                CancelReason = "Ghi sai ngày sinh của người được cấp giấy chứng nhận" }),
        ],
        "CheckIssuedDocument" => [new(200, Check)],
        "VerifyDocumentFile" => [new(null, "(giay-chung-nhan-ket-hon.pdf)"), new(200, Check)],
        "AddDocuments" =>
        [
            new(null, new { document = new[] { "(giay-xac-nhan-tinh-trang-hon-nhan.pdf)" } }),
            new(200, new[] { new AddedDocument(Certificate, "giấy xác nhận tình trạng hôn nhân.pdf", false, DocumentStages.Stored) }),
        ],
        "RequestUpload" =>
        [
            new(null, new UploadRequest("giấy xác nhận tình trạng hôn nhân.pdf", 2, 1_482_310, CertificateSha256)),
            new(201, Ticket),
            new(200, new UploadTicket(DocumentId, true, null, "PUT", new Dictionary<string, string>(), null, 20 * 1024 * 1024)),
        ],
        "ConfirmUpload" => [new(200, new AddedDocument(Certificate, "giấy xác nhận tình trạng hôn nhân.pdf", false, DocumentStages.Stored))],
        "GetDocument" => [new(200, new DocumentDetail(Declaration, [new PageSummary(1, PageSources.TextLayer, null, null, 1874)]))],
        "GetDocumentPage" => [new(200, new PageView(DocumentId, 1, PageSources.Ocr, 91.5, null,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nTỜ KHAI ĐĂNG KÝ KẾT HÔN\nKính gửi: Ủy ban nhân dân phường Nha Trang"))],
        "SearchDossiers" => [new(200, new[]
        {
            new SearchResult(Code, "Nguyễn Thị Hoa", Procedure, Status(DossierStatus.Accepted),
            [
                new SearchMatch(SearchFields.Applicant, null, null, null, null),
                new SearchMatch(SearchFields.Document, DocumentId, Declaration.FileName, 1, "…họ, chữ đệm, tên: Nguyễn Thị Hoa; ngày, tháng, năm sinh: 12/03/1990…"),
            ]),
        })],
        "RegisterDevice" => [new(null, new DeviceRegistration("fcm:APA91bH2x7k1Qv3mZ0rT8yL5nW4pE6sD9cB1aF0gJ2hK3", "android", "2.4.1", "vi")), new(200, Phone)],
        "ListDevices" => [new(200, new[] { Phone })],
        "ListNotifications" => [new(200, Inbox)],
        "CountUnread" => [new(200, new UnreadCount(1))],
        "MarkAllRead" => [new(200, new MarkedRead(3))],
        "VerifyHistory" => [new(200, new HistoryVerification(Code, true, 4, null, true))],
        "PublicLookup" => [new(200, Lookup)],
        "LookupDossier" => [new(null, new LookupForm(Code, "4827163059")), new(200, Lookup)],
        "ListPublicProcedures" => [new(200, DemoData.Procedures.Take(1).Select(p => PublicProcedure.Of(p, DemoData.Units.ToDictionary(u => u.AgencyCode))).ToList())],
        "GetPublicProcedure" => [new(200, PublicProcedure.Of(Marriage, DemoData.Units.ToDictionary(u => u.AgencyCode)))],
        "RegisterDeviceKey" =>
        [
            new(null, new DeviceKeyForm("Samsung Galaxy A55 của anh Hùng",
                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2adMrdG7aUfZH57aeKFFM01dPnkxC18ScRb4Z6poMBgJtYlVtd9ly63URv57ZW0Ncs1LiZB7WATb3svu+1c7HQ==")),
            new(201, PhoneKey),
        ],
        "ListDeviceKeys" => [new(200, new[] { PhoneKey, new DeviceKeyView("4e8a2c1f6b3d5a79", "iPhone 13 (đã mất)", Submitted.AddDays(-200), Submitted.AddDays(-31), null) })],
        "ListProcedures" => [new(200, DemoData.Procedures.Take(2).ToList())],
        "GetProcedure" => [new(200, Marriage)],
        "PublishProcedure" =>
        [
            new(null, new ProcedureForm(Marriage.Name, Marriage.Field, Marriage.ReceivingUnits, Marriage.Components, Marriage.ProcessingDays, Marriage.Fee,
                Marriage.OnlineLevel, Marriage.Workflow)),
            new(200, Marriage with { Version = 2 }),
        ],
        "ListUnits" => [new(200, DemoData.Units)],
        "PutUnit" => [new(null, new UnitForm("Ủy ban nhân dân phường Nha Trang", DemoData.Province)), new(200, DemoData.Units.Single(u => u.AgencyCode == Unit))],
        "GetCalendar" => [new(200, new[] { Year2027 })],
        "PutCalendarYear" => [new(null, Year2027), new(200, Year2027)],
        "ListWorklist" or "ListApprovals" => [new(200, new[] { Waiting })],
        "ListMyDossiers" => [new(200, new[] { Waiting with { Step = 1, StepName = "Thụ lý, thẩm định hồ sơ", StepRole = "specialist", StepDueAt = Due.AddDays(-2) } })],
        "RecordApology" => [new(null, new ApologyDetails(new DateOnly(2026, 12, 10), "Cần xác minh thêm tình trạng hôn nhân tại nơi cư trú trước đây của công dân."))],
        "GetStatistics" => [new(200, Figures)],
        "SearchIncoming" => [new(200, IncomingReportExamples.Found)],
        "GetIncomingStatistics" => [new(200, IncomingReportExamples.Figures)],
        "ListDeadLetters" => [new(200, new[]
        {
            new DeadLetterView("8f14e45fceea167a5a36dedd4bea2543", PushRequest.Subject, "HttpRequestException",
                "Response status code does not indicate success: 503 (Service Unavailable).", 5, Submitted.AddMinutes(42),
                "{\"userId\":\"citizen-001\",\"content\":{\"title\":\"Hồ sơ 000.20.30.H56-261202-0001 đã được tiếp nhận\"}}"),
        })],
        "ReplayDeadLetters" => [new(200, new ReplayResult(1))],
        "Health" =>
        [
            new(200, new HealthReport("healthy", new Dictionary<string, string> { ["tables"] = "ok", ["blobs"] = "ok" })),
            new(503, new HealthReport("unhealthy", new Dictionary<string, string> { ["tables"] = "ok", ["blobs"] = "failed: RequestFailedException" })),
        ],
        _ => IncomingApiExamples.For(operationId).Concat(OutgoingApiExamples.For(operationId)).Concat(OutgoingReportExamples.For(operationId)),
    };
}
