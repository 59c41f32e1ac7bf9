using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Issuance;
using static MotCua.FunctionApp.PublicPages.PageHtml;

namespace MotCua.FunctionApp.PublicPages;

/// <summary>
/// /xac-thuc: what the QR code on an issued result opens (/xac-thuc/{checkId}), and a form to send a PDF to check.
/// Both answer from <see cref="PublicDocumentChecks"/>, as the public API does: who signed and when, whether each
/// signature is valid, whether the document was cancelled, and the dossier it belongs to. A sent file is never stored.
/// </summary>
public static class DocumentCheckPage
{
    public static PageResult Form(IOptions<ResultOptions> options) =>
        new(200, Page("Xác thực văn bản", "Check a document", FormBody(options.Value.MaxCheckBytes)), PageResult.Public);

    public static Task<PageResult> ByIdAsync(string checkId, PublicDocumentChecks checks, CancellationToken cancellationToken) =>
        PublicPageEndpoints.RenderAsync(async () => Answer(await checks.ByCheckIdAsync(checkId, cancellationToken)));

    public static Task<PageResult> FileAsync(HttpRequest request, PublicDocumentChecks checks, IOptions<ResultOptions> options,
        CancellationToken cancellationToken) => PublicPageEndpoints.RenderAsync(async () =>
    {
        var limit = options.Value.MaxCheckBytes;
        // The form's own fields and boundaries are a few hundred bytes beside the file.
        if (request.ContentLength > limit + 16 * 1024) throw Problems.Problems.FileTooLarge(limit);
        // A body sent without its length is held to the same limit while it streams.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = limit + 16 * 1024;
        if (request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
            throw new Problems.ProblemException(415, "unsupported-media-type", "Hãy gửi tệp bằng biểu mẫu trên trang này", "Send the file with this page's form");
        var reader = new MultipartReader(MultipartParts.Boundary(request), request.Body);
        while (await MultipartParts.NextSectionAsync(reader, cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition()
                || disposition.Name.Value != "tep") continue;
            return Answer(await checks.ForFileAsync(section.Body, null, cancellationToken));
        }
        throw new Problems.ProblemException(400, "no-document", "Chưa chọn tệp PDF", "No PDF was chosen", "Vui lòng chọn một tệp PDF rồi bấm Kiểm tra.");
    }, e => Page("Xác thực văn bản", "Check a document",
        Box("err", $"<p><strong>{Bi(e.TitleVi, e.TitleEn)}</strong></p>{(e.DetailVi is null ? "" : $"<p>{E(e.DetailVi)}</p>")}") + FormBody(options.Value.MaxCheckBytes)));

    private static string FormBody(long limit) =>
        "<p>Quét mã QR trên văn bản để xem thông tin xác thực, hoặc chọn tệp PDF văn bản điện tử để kiểm tra chữ ký số. Tệp chỉ được kiểm tra, không được lưu lại. "
        + "<span lang=\"en\">Scan the QR code on a document, or choose its PDF to check its signatures. The file is not kept.</span></p>"
        + "<form method=\"post\" action=\"/xac-thuc\" enctype=\"multipart/form-data\">"
        + $"<label for=\"tep\">{Bi("Tệp PDF", "PDF file")}</label>"
        + "<input id=\"tep\" name=\"tep\" type=\"file\" accept=\"application/pdf,.pdf\" required aria-describedby=\"tep-goi-y\">"
        + $"<p id=\"tep-goi-y\" class=\"hint\">Tối đa {limit / (1024 * 1024)} MB.</p>"
        + "<button id=\"xac-thuc-nut\" type=\"submit\">Kiểm tra <span lang=\"en\">/ Check</span></button></form>";

    /// <summary>A certificate's subject as people read it: "Lê Văn Hùng (UBND phường Nha Trang)" rather than "CN=…, O=…, C=VN".</summary>
    public static string SignerName(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject)) return "Không rõ người ký";
        string? Part(string key) => subject.Split(", ").FirstOrDefault(p => p.StartsWith(key + "=", StringComparison.OrdinalIgnoreCase))?[(key.Length + 1)..];
        return (Part("CN"), Part("O")) switch
        {
            (null, _) => subject,
            ({ } name, { } organisation) when organisation != name => $"{name} ({organisation})",
            ({ } name, _) => name,
        };
    }

    private static PageResult Answer(PublicDocumentCheck check)
    {
        var html = new StringBuilder(4096);
        var (kind, headline, english) = check switch
        {
            { IssuedHere: true, Status: "cancelled" } => ("err", "Văn bản đã bị hủy", "This document was cancelled"),
            { IssuedHere: true } when check.Signatures.All(s => s.Valid) => ("ok", "Văn bản do cơ quan ban hành qua MotCua, còn hiệu lực", "Issued through MotCua and in force"),
            { IssuedHere: true } => ("warn", "Văn bản do MotCua ban hành nhưng có chữ ký không hợp lệ", "Issued through MotCua, but a signature is not valid"),
            _ => ("err", "Không xác nhận được văn bản này", "This document could not be confirmed"),
        };
        html.Append(Box(kind, $"<p><strong>{Bi(headline, english)}</strong></p><p>{E(check.StatusText)}</p>"));
        if (check.IssuedHere)
        {
            html.Append("<dl>");
            if (check.Document is { } document)
                html.Append($"<dt>{Bi("Văn bản", "Document")}</dt><dd>{E(document.DocumentType)} số {E(document.Symbol)}: {E(document.Summary)}</dd>")
                    .Append($"<dt>{Bi("Cơ quan ban hành", "Issued by")}</dt><dd>{E(document.Issuer)}</dd>");
            if (check.DossierCode is { } code) html.Append($"<dt>{Bi("Thuộc hồ sơ", "Dossier")}</dt><dd>{E(code)}</dd>");
            if (check.ProcedureName is { } procedure) html.Append($"<dt>{Bi("Thủ tục", "Procedure")}</dt><dd>{E(procedure)}</dd>");
            if (check.IssuedAt is { } issued) html.Append($"<dt>{Bi("Ban hành lúc", "Issued")}</dt><dd>{Time(issued)}</dd>");
            if (check.CancelledAt is { } cancelled) html.Append($"<dt>{Bi("Hủy lúc", "Cancelled")}</dt><dd>{Time(cancelled)}</dd>");
            if (check.CancelReason is { } reason) html.Append($"<dt>{Bi("Lý do hủy", "Reason")}</dt><dd>{E(reason)}</dd>");
            html.Append("</dl>");
        }
        html.Append($"<h2>{Bi("Chữ ký số", "Digital signatures")}</h2>");
        if (check.Signatures.Count == 0) html.Append("<p>Văn bản không có chữ ký số.</p>");
        else
        {
            html.Append("<ol>");
            foreach (var s in check.Signatures)
            {
                html.Append($"<li><strong>{E(SignerName(s.Signer))}</strong>")
                    .Append(s.SignedAt is { } at ? $", ký lúc {Time(at)}{(s.TimeStamped ? " (có dấu thời gian tin cậy)" : "")}" : "")
                    .Append($". {(s.Valid ? "Chữ ký hợp lệ" : "<strong>Chữ ký không hợp lệ</strong>")}: {E(s.VerdictText)}.</li>");
            }
            html.Append("</ol>");
        }
        html.Append("<p><a href=\"/xac-thuc\">Kiểm tra văn bản khác</a></p>");
        return new PageResult(200, Page("Kết quả xác thực văn bản", "Document check", html.ToString()), PageResult.NoStore);
    }
}
