using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MotCua.Domain.Dossiers;
using MotCua.Domain.History;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Dossiers;

namespace MotCua.FunctionApp.Forms;

public sealed class FormOptions
{
    public const string Section = "Forms";

    public string FontDirectory { get; set; } = "/usr/share/fonts/truetype/dejavu";

    /// <summary>The public lookup page the receipt's QR code opens, with the dossier code added.</summary>
    public string PublicLookupUrl { get; set; } = "https://motcua.example.vn/tra-cuu";
}

public enum FormKind
{
    Receipt,
    SupplementRequest,
    Refusal,
    Apology,
}

/// <summary>The new appointment an apology gives, kept in the history entry that records it.</summary>
public sealed record ApologyDetails(DateOnly NewDueDate, string Reason);

/// <summary>
/// The papers the one-stop desk issues, rendered from the dossier and its history: receipt and
/// appointment (with the lookup PIN and a QR code), supplement request, refusal, apology with a new date.
/// </summary>
public sealed class DossierForms(ProcedureCatalog catalog, IOptions<FormOptions> options)
{
    private readonly Lazy<FormFonts> _fonts = new(() => FormFonts.Load(options.Value.FontDirectory));

    public static bool TryParseKind(string slug, out FormKind kind)
    {
        kind = slug switch
        {
            "receipt" => FormKind.Receipt,
            "supplement-request" => FormKind.SupplementRequest,
            "refusal" => FormKind.Refusal,
            "apology" => FormKind.Apology,
            _ => (FormKind)(-1),
        };
        return Enum.IsDefined(kind);
    }

    /// <summary>The form's bytes, or null when the dossier has not come to the point where it exists.</summary>
    /// <param name="documents">The dossier's documents, for the receipt's list of what was received and what is missing.</param>
    public async Task<byte[]?> RenderAsync(FormKind kind, DossierEntity d, IReadOnlyList<HistoryEntry> history, IReadOnlyList<DocumentEntity> documents,
        CancellationToken cancellationToken)
    {
        var last = (string action) => history.Where(h => h.Action == action).MaxBy(h => h.Sequence);
        var units = await catalog.UnitsAsync(cancellationToken);
        var unitName = units.TryGetValue(d.ReceivingUnit, out var unit) ? unit.Name : d.ReceivingUnit;
        using var pdf = new PdfFormWriter(_fonts.Value);
        pdf.Letterhead(unitName);
        switch (kind)
        {
            case FormKind.Receipt when d.AcceptedAt is { } acceptedAt:
                var procedure = await catalog.FindVersionAsync(d.ProcedureCode, d.ProcedureVersion, cancellationToken);
                pdf.Title("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", $"Mã hồ sơ: {d.PartitionKey}");
                Applicant(pdf, d);
                pdf.Field("Thủ tục", d.ProcedureName);
                Components(pdf, procedure?.Components ?? [], ReceivedBy(documents, acceptedAt));
                pdf.Field("Thời gian giải quyết theo quy định", $"{procedure?.ProcessingDays.ToString("0.#", CultureInfo.InvariantCulture)} ngày làm việc");
                pdf.Field("Thời gian nhận hồ sơ", When(acceptedAt));
                pdf.Field("Thời gian hẹn trả kết quả", d.DueAt is { } due ? When(due) : "—");
                pdf.Field("Mã tra cứu (PIN)", d.LookupPin);
                pdf.Line("Tra cứu tình trạng hồ sơ bằng mã hồ sơ và mã tra cứu, hoặc quét mã QR.", 9);
                pdf.QrCode($"{options.Value.PublicLookupUrl}?ma={Uri.EscapeDataString(d.PartitionKey)}", d.PartitionKey);
                break;
            case FormKind.SupplementRequest when last("request-supplement") is { } request:
                pdf.Title("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", $"Mã hồ sơ: {d.PartitionKey}");
                Applicant(pdf, d);
                pdf.Field("Thủ tục", d.ProcedureName);
                pdf.Field("Nội dung cần bổ sung", request.Comment);
                pdf.Field("Ngày yêu cầu", When(request.At));
                pdf.Line("Thời gian giải quyết tạm dừng cho đến khi nhận đủ hồ sơ bổ sung.", 9);
                break;
            case FormKind.Refusal when last("refuse") is { } refusal:
                pdf.Title("PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", $"Mã hồ sơ: {d.PartitionKey}");
                Applicant(pdf, d);
                pdf.Field("Thủ tục", d.ProcedureName);
                pdf.Field("Lý do từ chối", refusal.Comment);
                pdf.Field("Ngày", When(refusal.At));
                break;
            case FormKind.Apology when last(DossierApologies.Action) is { } apology:
                var details = JsonSerializer.Deserialize<ApologyDetails>(apology.Details, JsonSerializerOptions.Web)!;
                pdf.Title("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", $"Mã hồ sơ: {d.PartitionKey}");
                Applicant(pdf, d);
                pdf.Field("Thủ tục", d.ProcedureName);
                pdf.Field("Ngày hẹn trả kết quả trước đây", d.DueAt is { } previous ? When(previous) : "—");
                pdf.Field("Lý do chậm trễ", details.Reason);
                pdf.Line($"{unitName} xin lỗi ông/bà vì hồ sơ chưa được giải quyết đúng hạn.");
                pdf.Field("Ngày hẹn trả kết quả mới", Day(details.NewDueDate));
                break;
            default:
                return null;
        }
        pdf.Gap(24);
        pdf.Line($"Lập lúc {When(DateTimeOffset.UtcNow)} — MotCua", 8);
        return pdf.Build();
    }

    /// <summary>
    /// What the desk had when it accepted the dossier: a supplement added since is not on the receipt.
    /// Without an acceptance yet, everything received so far.
    /// </summary>
    private static List<DocumentEntity> ReceivedBy(IReadOnlyList<DocumentEntity> documents, DateTimeOffset? acceptedAt) =>
        [.. documents.Where(x => acceptedAt is not { } accepted || ReceivedAt(x) is { } at && at <= accepted)];

    /// <summary>
    /// When the document reached the dossier: a file sent in a request was stored by that request; one uploaded
    /// straight to storage with a ticket, when its upload was confirmed (the ticket's time says nothing of the bytes).
    /// </summary>
    private static DateTimeOffset? ReceivedAt(DocumentEntity x) => x.UploadExpiresAt is null ? x.UploadedAt : x.StoredAt;

    /// <summary>
    /// The receipt's components as Mẫu 01 (Circular 01/2018/TT-VPCP) lists them: what was received, with the
    /// number of files; then, apart, the procedure's components that were not, so nobody reads them as handed in.
    /// </summary>
    private static void Components(PdfFormWriter pdf, IReadOnlyList<DocumentComponent> components, IReadOnlyList<DocumentEntity> documents)
    {
        // A detached signature belongs to the document it signs; a file still awaiting upload was not received.
        var received = documents.Where(x => x.Stage != Documents.DocumentStages.AwaitingUpload && x.SignsDocumentId is null).ToList();
        var files = received.Where(x => x.Component is { } c && c >= 1 && c <= components.Count).ToLookup(x => x.Component!.Value);
        var numbered = components.Select((c, i) => (Component: c, Number: i + 1)).ToList();

        pdf.Line("Thành phần hồ sơ đã nhận:");
        var given = numbered.Where(c => files[c.Number].Any()).ToList();
        foreach (var (component, number) in given)
            pdf.Line($"{number}. {component.Name} ({Copy(component)}): {files[number].Count()} tệp", indent: 18);
        var unassigned = received.Where(x => x.Component is not { } c || c < 1 || c > components.Count).ToList();
        if (unassigned.Count > 0)
            pdf.Line($"Tài liệu chưa xác định thành phần hồ sơ: {unassigned.Count} tệp ({string.Join(", ", unassigned.Select(x => x.FileName))})", indent: 18);
        if (given.Count == 0 && unassigned.Count == 0) pdf.Line("Không có.", indent: 18);

        var missing = numbered.Where(c => !files[c.Number].Any()).ToList();
        if (missing.Count == 0) return;
        pdf.Line("Thành phần hồ sơ chưa nhận:");
        foreach (var (component, number) in missing)
            pdf.Line($"{number}. {component.Name} ({Copy(component)}{(component.Mandatory ? ", bắt buộc" : ", nếu có")})", indent: 18);
    }

    private static string Copy(DocumentComponent component) => component.Original ? "bản chính" : "bản sao";

    private static void Applicant(PdfFormWriter pdf, DossierEntity d)
    {
        pdf.Field("Người nộp hồ sơ", d.ApplicantName);
        pdf.Field("Số định danh", d.ApplicantIdNumber);
        if (d.ApplicantAddress is { } address) pdf.Field("Địa chỉ", address);
        if (d.ApplicantPhone is { } phone) pdf.Field("Số điện thoại", phone);
    }

    private static string When(DateTimeOffset instant)
    {
        var local = VietnamTime.Local(instant);
        return string.Create(CultureInfo.InvariantCulture, $"{local:HH} giờ {local:mm} phút, ") + Day(DateOnly.FromDateTime(local.DateTime));
    }

    private static string Day(DateOnly day) => string.Create(CultureInfo.InvariantCulture, $"ngày {day:dd} tháng {day:MM} năm {day:yyyy}");
}
