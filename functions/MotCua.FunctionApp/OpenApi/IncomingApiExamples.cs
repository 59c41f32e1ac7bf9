using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Approvals;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Demo;

namespace MotCua.FunctionApp.OpenApi;

/// <summary>Examples of the incoming-correspondence operations: the province's letter on digital transformation, arriving at the ward.</summary>
public static class IncomingApiExamples
{
    private const string Id = "IN-000.20.30.H56-261202-K7Q2MZ";
    private static readonly DateTimeOffset Arrived = new(2026, 12, 2, 8, 5, 0, TimeSpan.FromHours(7));
    private static readonly DateTimeOffset Directed = new(2026, 12, 2, 9, 40, 0, TimeSpan.FromHours(7));

    private static readonly IncomingForm Letter = new(DemoData.Province, "Ủy ban nhân dân tỉnh Khánh Hòa", "125", "UBND-VP", "2026-12-01", "Công văn",
        "V/v triển khai kế hoạch chuyển đổi số năm 2027", Priority: 1);

    private static readonly ArrivedDocument ArrivedDocument = new(Id, "01", 1, Arrived);

    private static readonly IncomingView DirectedView = new(Id, 5, new StatusRef("04", IncomingStatus.Directed.Name()), "electronic", false,
        new PriorityRef(1, DocumentPriority.Name(1)), Arrived, DemoData.Province, "Ủy ban nhân dân tỉnh Khánh Hòa", "125", "UBND-VP", "2026-12-01", "Công văn",
        "V/v triển khai kế hoạch chuyển đổi số năm 2027", "000.00.00.H56,2026/12/01,125/UBND-VP", new RegisterRef(2026, 418, Arrived.AddMinutes(20)), null, null,
        [new IncomingFileView("0193a1c2e4f87b2c9d0e1f2a3b4c5d6e", "cong-van-125.pdf", 184_320, "recorded", "valid", 2)],
        new DirectionView("chairman-001", "Lê Văn Hùng", null, Directed, DemoData.CultureDepartment, null, ["officer-002"], [], "2026-12-09",
            "Giao Phòng Văn hóa - Xã hội chủ trì tham mưu, Phòng Kinh tế phối hợp."),
        new HandlingView(null, null, null, null, null, null, null, null), 5,
        [
            new IncomingHistoryView(5, Directed, "chairman-001", "directed", "03", "04", "Giao Phòng Văn hóa - Xã hội chủ trì tham mưu, Phòng Kinh tế phối hợp."),
            new IncomingHistoryView(4, Arrived.AddMinutes(20), "records-clerk-001", "registered", "03", "03", "Vào sổ văn bản đến số 418/2026."),
        ], true);

    private static readonly ApprovalSignature PhoneSignature = new("6f1c2b7d9e0a4c3b8f5e2d1a0b9c8d7e", Directed, "MEUCIQDx3c6Yx0k2...base64...");

    private static readonly DirectionForm Direction = new(null, DemoData.CultureDepartment, ["officer-002"], [], "2026-12-09",
        "Giao Phòng Văn hóa - Xã hội chủ trì tham mưu, Phòng Kinh tế phối hợp.", null, PhoneSignature);

    public static IEnumerable<ApiExample> For(string? operationId) => operationId switch
    {
        "ReceiveElectronicIncoming" => [new(null, new { incoming = Letter, document = new[] { "(cong-van-125.pdf)" } }), new(201, ArrivedDocument)],
        "ReceivePaperIncoming" => [new(null, new { incoming = new IncomingForm(Priority: 0), document = new[] { "(ban-quet.pdf)" } }), new(201, ArrivedDocument with { Status = "01" })],
        "GetIncoming" => [new(200, DirectedView)],
        "GetIncomingPage" => [new(200, new Documents.PageView("0193a1c2e4f87b2c9d0e1f2a3b4c5d6e", 1, Documents.Text.PageSources.TextLayer, null, null,
            "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA\nSố: 125/UBND-VP\nV/v triển khai kế hoạch chuyển đổi số năm 2027"))],
        "RegisterIncoming" => [new(null, new RegistrationForm(Summary: "V/v triển khai kế hoạch chuyển đổi số năm 2027", Priority: 1)), new(200, DirectedView)],
        "ReturnIncoming" => [new(null, new ReturnForm("Văn bản không gửi đúng cơ quan: đề nghị gửi Ủy ban nhân dân xã Cam Lâm.")), new(200, DirectedView)],
        "DirectIncoming" => [new(null, Direction), new(200, DirectedView)],
        "DirectIncomingDocuments" => [new(null, Direction with { Documents = [new DirectedDocument(Id, 4), new DirectedDocument("IN-000.20.30.H56-261202-P3X8WA", 4)] }),
            new(200, new DirectionResult([new DirectedView(Id, 5, "04"), new DirectedView("IN-000.20.30.H56-261202-P3X8WA", 5, "04")]))],
        "AssignIncoming" => [new(null, new AssignmentForm("officer-001", "2026-12-08", "Đồng chí Tuấn dự thảo văn bản trả lời.")), new(200, DirectedView)],
        "RecordIncomingProgress" => [new(null, new ProgressForm("Đã dự thảo văn bản trả lời, trình lãnh đạo phòng.")), new(200, DirectedView)],
        "FinishIncoming" => [new(null, new FinishForm("Đã trả lời bằng Công văn số 88/UBND-VHXH.", "000.20.30.H56,2026/12/08,88/UBND-VHXH")), new(200, DirectedView)],
        "ListIncoming" => [new(200, new IncomingPage([IncomingViewMapping.Item(new IncomingDocumentEntity
        {
            Id = Id, Version = 4, Status = 3, Priority = 1, ArrivedAt = Arrived, SenderName = "Ủy ban nhân dân tỉnh Khánh Hòa", Number = "125", Notation = "UBND-VP",
            Summary = "V/v triển khai kế hoạch chuyển đổi số năm 2027", RegisterNumber = 418,
        })], null))],
        _ => [],
    };
}
