using System.Text;
using MotCua.FunctionApp.Catalog;
using static MotCua.FunctionApp.PublicPages.PageHtml;

namespace MotCua.FunctionApp.PublicPages;

/// <summary>
/// /thu-tuc: the published procedures, searched by words with or without diacritics, and each one's papers, time
/// limit, fee, receiving units and online level. Public and the same for everyone, so caches may keep it a while.
/// </summary>
public static class CataloguePage
{
    public static Task<PageResult> ListAsync(string? q, ProcedureCatalog catalog, CancellationToken cancellationToken) =>
        PublicPageEndpoints.RenderAsync(async () =>
        {
            var found = await PublicCatalogEndpoints.SearchAsync(catalog, q, cancellationToken);
            var html = new StringBuilder(4096);
            html.Append("<form method=\"get\" action=\"/thu-tuc\" role=\"search\">")
                .Append($"<label for=\"q\">{Bi("Tìm thủ tục", "Find a procedure")}</label>")
                .Append($"<input id=\"q\" name=\"q\" type=\"search\" value=\"{E(q)}\" maxlength=\"{PublicCatalogEndpoints.MaxQueryLength}\" aria-describedby=\"q-goi-y\">")
                .Append("<p id=\"q-goi-y\" class=\"hint\">Gõ có dấu hoặc không dấu, ví dụ: dang ky ket hon</p>")
                .Append("<button id=\"thu-tuc-nut\" type=\"submit\">Tìm <span lang=\"en\">/ Search</span></button></form>");
            html.Append($"<h2>{(string.IsNullOrWhiteSpace(q) ? $"Tất cả thủ tục ({found.Count})" : $"Kết quả tìm “{E(q)}”: {found.Count} thủ tục")}</h2>");
            if (found.Count == 0) html.Append("<p>Không tìm thấy thủ tục nào. Hãy thử từ khóa ngắn hơn.</p>");
            else
            {
                html.Append("<ul>");
                foreach (var p in found)
                    html.Append($"<li><a href=\"/thu-tuc/{Uri.EscapeDataString(p.Code)}\">{E(p.Name)}</a><br>{E(p.Field)} · {E(Days(p.ProcessingDays))} · {E(Money(p.Fee))}</li>");
                html.Append("</ul>");
            }
            return new PageResult(200, Page("Thủ tục hành chính", "Administrative procedures", html.ToString()), PageResult.Public);
        });

    public static Task<PageResult> OneAsync(string code, ProcedureCatalog catalog, CancellationToken cancellationToken) =>
        PublicPageEndpoints.RenderAsync(async () =>
        {
            PublicProcedure p;
            try
            {
                p = await PublicCatalogEndpoints.FindAsync(catalog, code, cancellationToken);
            }
            catch (Problems.ProblemException e) when (e.Status == 422)
            {
                // A page that names nothing known is simply not found.
                return PublicPageEndpoints.Refusal(404, PublicPageEndpoints.ErrorBody("Không có thủ tục này", "No such procedure",
                    "Thủ tục có thể đã được thay thế. Vui lòng tìm lại trong danh mục thủ tục."), null);
            }
            var html = new StringBuilder(2048);
            html.Append("<dl>")
                .Append($"<dt>{Bi("Mã thủ tục", "Code")}</dt><dd>{E(p.Code)}</dd>")
                .Append($"<dt>{Bi("Lĩnh vực", "Field")}</dt><dd>{E(p.Field)}</dd>")
                .Append($"<dt>{Bi("Thời hạn giải quyết", "Time limit")}</dt><dd>{E(Days(p.ProcessingDays))}</dd>")
                .Append($"<dt>{Bi("Phí, lệ phí", "Fee")}</dt><dd>{E(Money(p.Fee))}</dd>")
                .Append($"<dt>{Bi("Mức độ trực tuyến", "Online level")}</dt><dd>{E(p.OnlineLevelName)}</dd>")
                .Append($"<dt>{Bi("Nơi tiếp nhận", "Where to submit")}</dt><dd><ul>{string.Concat(p.ReceivingUnits.Select(u => $"<li>{E(u.Name)}</li>"))}</ul></dd>")
                .Append("</dl>")
                .Append($"<h2>{Bi("Thành phần hồ sơ", "Papers to submit")}</h2><ol>");
            foreach (var c in p.Components)
                html.Append($"<li>{E(c.Name)} ({(c.Original ? "bản chính" : "bản sao")}{(c.Mandatory ? ", bắt buộc" : ", nếu có")}{(c.SignatureRequired ? ", bản điện tử cần ký số" : "")})</li>");
            html.Append("</ol><p><a href=\"/thu-tuc\">Danh mục thủ tục</a></p>");
            return new PageResult(200, Page(p.Name, "Procedure", html.ToString()), PageResult.Public);
        });
}
