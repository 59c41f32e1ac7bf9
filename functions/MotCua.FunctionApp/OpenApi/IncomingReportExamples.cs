using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Search;

namespace MotCua.FunctionApp.OpenApi;

/// <summary>Examples of the incoming documents' search and figures, with the ward of Nha Trang and a letter from the province.</summary>
public static class IncomingReportExamples
{
    private const string Agency = "000.20.30.H56";
    private const string Id = "IN-000.20.30.H56-261202-7KQ2MX";
    private static readonly DateTimeOffset Arrived = new(2026, 12, 2, 8, 5, 0, TimeSpan.FromHours(7));

    public static readonly IncomingSearchPage Found = new(
        [
            new IncomingSearchResult(Id, "125", "UBND-VP", "Ủy ban nhân dân tỉnh Khánh Hòa", "V/v triển khai kế hoạch chuyển đổi số năm 2027",
                new RegisterRef(2026, 15, Arrived.AddMinutes(20)), new StatusRef(IncomingStatus.Directed.Code(), IncomingStatus.Directed.Name()),
                new PriorityRef(1, DocumentPriority.Name(1)), Arrived,
                [
                    new SearchMatch(IncomingSearchScope.Letter, null, null, null, null),
                    new SearchMatch(SearchFields.Document, "01a234fa47ac7370b7d4615182d94422", "cong-van-125.pdf", 1,
                        "…đề nghị Ủy ban nhân dân các xã, phường triển khai kế hoạch chuyển đổi số năm 2027, báo cáo kết quả trước ngày 15/12/2026…"),
                ]),
        ],
        Id);

    public static readonly IncomingStatisticsView Figures = new(Agency, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30),
        Received: 64, Electronic: 51, Paper: 13, Returned: 2, Registered: 61, AwaitingRegistration: 1,
        FinishedOnTime: 40, FinishedLate: 3, Open: 18, Overdue: 2, OnTimeRate: 0.9302, ElectronicShare: 0.7969,
        ByDepartment:
        [
            new HandlingFigures("001.20.30.H56", "Phòng Văn hóa - Xã hội", 22, 1, 9, 1),
            new HandlingFigures("002.20.30.H56", "Phòng Kinh tế, Hạ tầng và Đô thị", 18, 2, 9, 1),
        ],
        ByHandler:
        [
            new HandlingFigures("officer-001", "Lê Minh Tuấn", 15, 1, 6, 1),
            new HandlingFigures("officer-002", "Vũ Đức Anh", 12, 2, 5, 1),
        ]);
}
