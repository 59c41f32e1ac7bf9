using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Lookup;
using MotCua.FunctionApp.Problems;
using static MotCua.FunctionApp.PublicPages.PageHtml;

namespace MotCua.FunctionApp.PublicPages;

/// <summary>
/// /tra-cuu: the page the receipt's QR code opens (<c>?ma=</c> fills the code). Code and PIN go in a form post, so
/// the PIN is never in an address; the answer is the dossier's status in plain words, what comes next, what the
/// citizen must do, and its history. Same guards and the same 404 for a wrong PIN as the API.
/// </summary>
public static class LookupPage
{
    private const int MaxFormBytes = 2048;

    public static Task<PageResult> FormAsync(string? ma) => PublicPageEndpoints.RenderAsync(() =>
    {
        if (ma is not null && !DossierCode.TryParse(ma, out _))
            return Task.FromResult(new PageResult(400, Form(null, Bi("Mã hồ sơ trong đường dẫn không đúng dạng", "The dossier code in the link is not valid")
                + "<p>Vui lòng nhập mã in trên giấy tiếp nhận hồ sơ.</p>"), PageResult.NoStore));
        // Only the code, never a PIN, comes in the address; the page holds nothing personal, but a code is no one else's business.
        return Task.FromResult(new PageResult(200, Form(ma, null), PageResult.NoStore));
    });

    public static async Task<PageResult> AnswerAsync(HttpRequest request, DossierLookup lookup, CancellationToken cancellationToken)
    {
        string? code = null;
        return await PublicPageEndpoints.RenderAsync(async () =>
        {
            (code, var pin) = await ReadFormAsync(request, cancellationToken);
            var found = await lookup.FindAsync(code, pin, LookupGuards.ClientAddress(request.HttpContext), cancellationToken);
            return new PageResult(200, Page("Tình trạng hồ sơ", "Dossier status", LookupAnswer.Body(found)), PageResult.NoStore);
        }, e => Form(code is not null && DossierCode.TryParse(code, out _) ? code : null, Bi(e.TitleVi, e.TitleEn)
            + (e.Status == 404 ? "<p>Kiểm tra lại mã hồ sơ và mã tra cứu (PIN) trên giấy tiếp nhận. Mã PIN gồm 10 chữ số (6 chữ số với giấy cấp trước đây).</p>"
                : e.DetailVi is null ? "" : $"<p>{E(e.DetailVi)}</p>")));
    }

    /// <summary>Reads ma and pin from a small url-encoded form; anything else is refused before any lookup.</summary>
    private static async Task<(string? Code, string? Pin)> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
            throw new ProblemException(415, "unsupported-media-type", "Biểu mẫu gửi không đúng dạng", "The form was not sent as a form");
        if (request.ContentLength > MaxFormBytes) throw new ProblemException(413, "request-too-large", "Biểu mẫu quá lớn", "The form is too large");
        try
        {
            using var reader = new FormReader(request.Body, Encoding.UTF8) { ValueCountLimit = 8, KeyLengthLimit = 16, ValueLengthLimit = 64 };
            var fields = await reader.ReadFormAsync(cancellationToken);
            return (fields.TryGetValue("ma", out var ma) ? ma.ToString().Trim() : null, fields.TryGetValue("pin", out var pin) ? pin.ToString().Trim() : null);
        }
        catch (InvalidDataException)
        {
            throw new ProblemException(400, "malformed-request", "Biểu mẫu gửi không đúng dạng", "The form is not valid");
        }
    }

    private static string Form(string? code, string? error) => Page("Tra cứu hồ sơ", "Look up a dossier", FormBody(code, error));

    private static string FormBody(string? code, string? error) =>
        "<p>Nhập mã hồ sơ và mã tra cứu (PIN) in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả. "
        + "<span lang=\"en\">Enter the dossier code and the PIN printed on your receipt.</span></p>"
        + (error is null ? "" : Box("err", $"<p>{error}</p>"))
        + "<form method=\"post\" action=\"/tra-cuu\">"
        + $"<label for=\"ma\">{Bi("Mã hồ sơ", "Dossier code")}</label>"
        + $"<input id=\"ma\" name=\"ma\" value=\"{E(code)}\" required maxlength=\"40\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" aria-describedby=\"ma-goi-y\">"
        + "<p id=\"ma-goi-y\" class=\"hint\">Ví dụ: 000.20.30.H56-261202-0001</p>"
        + $"<label for=\"pin\">{Bi("Mã tra cứu (PIN)", "PIN")}</label>"
        + "<input id=\"pin\" name=\"pin\" required inputmode=\"numeric\" pattern=\"[0-9]{6,10}\" maxlength=\"10\" autocomplete=\"off\" aria-describedby=\"pin-goi-y\">"
        + "<p id=\"pin-goi-y\" class=\"hint\">10 chữ số, in ngay dưới mã hồ sơ.</p>"
        + "<button id=\"tra-cuu-nut\" type=\"submit\">Tra cứu <span lang=\"en\">/ Look up</span></button></form>";
}
