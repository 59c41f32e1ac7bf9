using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Issuance;

namespace MotCua.FunctionApp.OpenApi;

/// <summary>Examples of the outgoing-correspondence operations: the ward's letter to the commune on the national unity festival.</summary>
public static class OutgoingApiExamples
{
    private const string Id = "OUT-000.20.30.H56-261202-M4T8QA";
    private const string Summary = "V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026";
    private static readonly DateTimeOffset Drafted = new(2026, 12, 2, 8, 30, 0, TimeSpan.FromHours(7));
    private static readonly DateTimeOffset Signed = new(2026, 12, 2, 10, 15, 0, TimeSpan.FromHours(7));

    private static readonly OutgoingForm Letter = new("Công văn", Summary, [new RecipientForm(DemoData.CamLamCommune)], "chairman-001",
        OtherRecipients: ["Lưu: VT, VHXH."]);

    private static readonly OutgoingView IssuedView = new(Id, 9, new StatusRef("issued", OutgoingStatus.Issued.Name()), "Công văn", false, false,
        new PriorityRef(0, DocumentPriority.Name(0)), Summary, null, null,
        [new RecipientView(DemoData.CamLamCommune, "Ủy ban nhân dân xã Cam Lâm", true, new StatusRef("03", "Đã vào sổ"), Signed.AddHours(2),
            "IN-000.21.31.H56-261202-Q2W7RT", null, null)],
        ["Lưu: VT, VHXH."], "officer-001", "Lê Minh Tuấn", DemoData.CultureDepartment, null, "chairman-001", 2, "cong-van.pdf", 48_213, null,
        new SignedView("chairman-001", "Lê Văn Hùng", Signed, "TM. ỦY BAN NHÂN DÂN", "Chủ tịch"),
        new NumberView(2026, 1, "UBND-VHXH", "01/UBND-VHXH", "2026-12-02", DocumentNumbering.GeneralSeries), Signed.AddMinutes(20), null, null,
        [new OutgoingHistoryView(9, Signed.AddMinutes(20), "system", "issued", "numbered", "issued", "Văn thư đã ký số của cơ quan và ban hành văn bản số 01/UBND-VHXH.")]);

    public static IEnumerable<ApiExample> For(string? operationId) => operationId switch
    {
        "DraftOutgoing" => [new(null, Letter with { AnswersIncomingId = "IN-000.20.30.H56-261130-K7Q2MZ" }), new(201, IssuedView with { Status = new StatusRef("draft", OutgoingStatus.Draft.Name()), Version = 1, Signed = null, Numbered = null })],
        "GetOutgoing" => [new(200, IssuedView)],
        "PutOutgoingDocument" or "PutOutgoingAttachment" or "IssueOutgoing" or "RecallOutgoing" or "UpdateOutgoing" or "SubmitOutgoing" or "ReviewOutgoing" or "DecideOutgoing" => operationId switch
        {
            "SubmitOutgoing" => [new(null, new SubmissionForm("Kính trình lãnh đạo phòng.")), new(200, IssuedView)],
            "ReviewOutgoing" => [new(null, new ReviewForm("return", "Bổ sung thời gian, địa điểm tổ chức.")), new(200, IssuedView)],
            "DecideOutgoing" => [new(null, new OutgoingApprovalForm("sign", new ResultSignature("9b2f0c1d4e5a6b7c8d9e0f1a2b3c4d5e", "MEUCIQC...base64..."))), new(200, IssuedView)],
            "IssueOutgoing" => [new(null, new IssueForm("2026-12-02")), new(200, IssuedView)],
            "RecallOutgoing" => [new(null, new RecallForm("Văn bản ghi sai ngày tổ chức.")), new(200, IssuedView)],
            "UpdateOutgoing" => [new(null, new UpdateForm("Đổi hạn trả lời theo kế hoạch mới.", DueDate: "2026-12-15")), new(200, IssuedView)],
            _ => [new(null, "(cong-van.pdf)"), new(200, IssuedView)],
        },
        "PrepareOutgoingSignature" => [new(null, new SigningPreparationForm("6f1c2b7d9e0a4c3b8f5e2d1a0b9c8d7e")),
            new(200, new SigningPreparationView("9b2f0c1d4e5a6b7c8d9e0f1a2b3c4d5e", "q1w2e3...base64...", "MYIB...base64...", "ES256", Signed.AddMinutes(10),
                "5d41402abc4b2a76b9719d911017c592e0b8c7d6f5a4b3c2d1e0f9a8b7c6d5e4"))],
        "ListOutgoing" => [new(200, new OutgoingPage([new OutgoingListItem(Id, 9, "issued", 0, Drafted, "Công văn", Summary, "01/UBND-VHXH", "Lê Minh Tuấn", "chairman-001")]))],
        _ => [],
    };
}
