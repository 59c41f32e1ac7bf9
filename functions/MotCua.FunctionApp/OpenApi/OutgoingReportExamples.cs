using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Search;

namespace MotCua.FunctionApp.OpenApi;

/// <summary>Examples of the outgoing documents' search and figures: the ward's letter to the commune on the national unity festival.</summary>
public static class OutgoingReportExamples
{
    private const string Agency = "000.20.30.H56";
    private const string Id = "OUT-000.20.30.H56-261202-M4T8QA";
    private static readonly DateTimeOffset Issued = new(2026, 12, 2, 10, 35, 0, TimeSpan.FromHours(7));

    public static readonly OutgoingSearchPage Found = new(
        [
            new OutgoingSearchResult(Id, "01/UBND-VHXH", "Công văn", "V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026", "2026-12-02",
                new StatusRef(OutgoingStatus.Issued.Code(), OutgoingStatus.Issued.Name()), new PriorityRef(0, DocumentPriority.Name(0)), Issued,
                [
                    new SearchMatch(IncomingSearchScope.Letter, null, null, null, null),
                    new SearchMatch(SearchFields.Document, null, "01-UBND-VHXH.pdf", 1,
                        "…đề nghị Ủy ban nhân dân xã Cam Lâm phối hợp tổ chức Ngày hội Đại đoàn kết toàn dân tộc tại các thôn, báo cáo kết quả trước ngày 18/11…"),
                ]),
        ],
        Id);

    public static readonly OutgoingStatisticsView Figures = new(Agency, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30),
        Issued: 42, Secret: 2, Recalled: 1,
        ByType: [new OutgoingTypeFigures("Công văn", 30), new OutgoingTypeFigures("Báo cáo", 7), new OutgoingTypeFigures("Quyết định", 5)],
        FullyElectronic: 29, ElectronicShare: 0.6905, DigitallySigned: 40, DigitallySignedShare: 0.9524,
        RepliesDue: 12, RepliedOnTime: 8, RepliedLate: 2, Unanswered: 1, AwaitingReply: 1);

    public static IEnumerable<ApiExample> For(string? operationId) => operationId switch
    {
        "SearchOutgoing" => [new(200, Found)],
        "GetOutgoingStatistics" => [new(200, Figures)],
        _ => [],
    };
}
