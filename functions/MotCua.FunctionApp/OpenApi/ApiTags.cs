using Microsoft.OpenApi;
using MotCua.FunctionApp.Approvals;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Forms;
using MotCua.FunctionApp.Health;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Lookup;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Statistics;
using MotCua.FunctionApp.Worklist;

namespace MotCua.FunctionApp.OpenApi;

/// <summary>The API's capabilities as the description groups its operations: one tag per capability, named in English for generators.</summary>
public static class ApiTags
{
    public static readonly IReadOnlyList<OpenApiTag> All =
    [
        new() { Name = "Dossiers", Description = "Hồ sơ / Dossiers: submission, the dossier with its progress and history, workflow actions, the history's hash chain." },
        new() { Name = "Documents", Description = "Tài liệu / Documents: adding files, direct uploads, processing state, page text, and search over documents." },
        new() { Name = "Lookup", Description = "Tra cứu công khai / Public lookup: a dossier's status by its code and the PIN on the receipt, without signing in." },
        new() { Name = "Notifications", Description = "Thông báo / Notifications: the signed-in user's phones for push, and the inbox." },
        new() { Name = "DeviceKeys", Description = "Khóa thiết bị / Device keys: the phone keys that sign a chairman's decisions." },
        new() { Name = "Results", Description = "Kết quả giải quyết / Results: the result attached, signed on the approver's phone, sealed by the agency, downloaded, cancelled, and the public check of issued documents." },
        new() { Name = "Worklists", Description = "Danh sách công việc / Worklists: what a unit holds, what waits for approval, a citizen's own dossiers." },
        new() { Name = "Forms", Description = "Biểu mẫu / Forms: receipts, supplement requests, refusals and apologies as PDF, and recording an apology." },
        new() { Name = "Catalogue", Description = "Danh mục / Catalogue: administrative procedures and units; the published procedures also without signing in." },
        new() { Name = "Calendar", Description = "Lịch làm việc / Calendar: holidays and working days that deadlines count." },
        new() { Name = "Statistics", Description = "Thống kê / Statistics: a unit's figures for a period." },
        new() { Name = "Incoming", Description = "Văn bản đến / Incoming correspondence: documents arriving from other agencies or on paper, registered, directed from a phone, handled and followed up." },
        new() { Name = "Outgoing", Description = "Văn bản đi / Outgoing correspondence: documents drafted, reviewed, signed on the signer's phone, numbered and sealed by the records clerk, delivered and followed to each recipient, recalled." },
        new() { Name = "Operations", Description = "Vận hành / Operations: health and dead-lettered messages." },
    ];

    /// <summary>The tag of the capability whose endpoint class declares the handler.</summary>
    public static string For(Type endpoints) => endpoints.Name switch
    {
        nameof(DossierEndpoints) or nameof(HistoryEndpoints) => "Dossiers",
        nameof(DocumentEndpoints) => "Documents",
        nameof(PublicLookupEndpoints) => "Lookup",
        nameof(NotificationEndpoints) => "Notifications",
        nameof(DeviceKeyEndpoints) => "DeviceKeys",
        nameof(Issuance.ResultEndpoints) => "Results",
        nameof(WorklistEndpoints) => "Worklists",
        nameof(FormEndpoints) => "Forms",
        nameof(CatalogEndpoints) or nameof(PublicCatalogEndpoints) => "Catalogue",
        nameof(CalendarEndpoints) => "Calendar",
        nameof(StatisticsEndpoints) => "Statistics",
        nameof(Correspondence.Incoming.IncomingEndpoints) => "Incoming",
        nameof(Correspondence.Incoming.IncomingReportEndpoints) => "Incoming",
        nameof(Correspondence.Outgoing.OutgoingEndpoints) => "Outgoing",
        nameof(Correspondence.Outgoing.OutgoingReportEndpoints) => "Outgoing",
        nameof(DeadLetterEndpoints) or nameof(HealthEndpoints) => "Operations",
        _ => throw new InvalidOperationException($"{endpoints.Name} maps endpoints but has no tag in the API description."),
    };
}
