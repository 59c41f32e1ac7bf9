using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace MotCua.FunctionApp.PublicPages;

/// <summary>
/// The pieces every public page is made of: escaping (only what HTML needs, so Vietnamese stays readable and small),
/// the shell with its inline style (no request leaves for another site), and how dates and money read in Vietnam.
/// </summary>
public static class PageHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>Vietnam keeps one offset all year.</summary>
    private static readonly TimeSpan VietnamTime = TimeSpan.FromHours(7);

    /// <summary>Escapes text for an element or a quoted attribute.</summary>
    public static string E(string? text) => Encoder.Encode(text ?? "");

    /// <summary>Vietnamese text followed by its English on a line of its own, marked as English for screen readers.</summary>
    public static string Bi(string vietnamese, string english) => $"{E(vietnamese)} <span class=\"en\" lang=\"en\">{E(english)}</span>";

    public static string Time(DateTimeOffset at) => at.ToOffset(VietnamTime).ToString("HH:mm 'ngày' dd/MM/yyyy", Vietnamese);

    public static string Day(DateTimeOffset at) => at.ToOffset(VietnamTime).ToString("dd/MM/yyyy", Vietnamese);

    public static string Money(decimal amount) => amount == 0 ? "Miễn phí" : amount.ToString("#,##0", Vietnamese) + " đồng";

    public static string Days(decimal days) => days.ToString("0.##", Vietnamese) + " ngày làm việc";

    private const string Style =
        "*{box-sizing:border-box}body{margin:0;font:1rem/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;color:#1b1b1b;background:#fff}"
        + "header{background:#7a1a12;color:#fff;padding:.75rem 1rem}header p{margin:0;font-weight:700}header a{color:#fff}"
        + "nav ul{list-style:none;margin:.5rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}nav a{display:inline-block;padding:.25rem 0}"
        + "main,footer{max-width:42rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}"
        + ".en{display:block;font-size:.875rem;color:#4a4a4a;font-weight:400}header .en{color:#fff}"
        + "label{display:block;font-weight:600;margin:1rem 0 .25rem}input{width:100%;font:inherit;padding:.6rem;border:2px solid #595959;border-radius:4px;background:#fff;color:#1b1b1b}"
        + "button{margin-top:1rem;font:inherit;font-weight:600;padding:.7rem 1.25rem;min-height:2.75rem;background:#0b4f9c;color:#fff;border:0;border-radius:4px;cursor:pointer}"
        + "a{color:#0b4f9c}:focus-visible{outline:3px solid #0b4f9c;outline-offset:3px}header :focus-visible{outline-color:#fff}"
        + ".hint{margin:.25rem 0 0;font-size:.9rem;color:#4a4a4a}.box{border-left:6px solid #0b4f9c;background:#eef4fb;padding:.75rem 1rem;margin:1rem 0}"
        + ".ok{border-color:#1e6b34;background:#edf7ef}.warn{border-color:#9a4700;background:#fff4e5}.err{border-color:#b00020;background:#fdecee}"
        + ".box>:first-child{margin-top:0}.box>:last-child{margin-bottom:0}dt{font-weight:600;margin-top:.6rem}dd{margin:0}"
        + "ol,ul{padding-left:1.25rem}li{margin:.3rem 0}blockquote{margin:.5rem 0;padding:.5rem .75rem;background:#fff;border:1px solid #8a8a8a;white-space:pre-line}"
        + "footer{border-top:1px solid #8a8a8a;font-size:.875rem;color:#4a4a4a}"
        + ".skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#0b4f9c;padding:.5rem}";

    /// <summary>The whole page: Vietnamese first (the document's language), each English line marked as such.</summary>
    public static string Page(string titleVi, string titleEn, string body)
    {
        var html = new StringBuilder(4096);
        html.Append("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
            .Append("<title>").Append(E(titleVi)).Append(" – MotCua</title><style>").Append(Style).Append("</style></head><body>")
            .Append("<a class=\"skip\" href=\"#noi-dung\">Bỏ qua, đến nội dung chính</a>")
            .Append("<header><p>MotCua – Dịch vụ công <span class=\"en\" lang=\"en\">Public services</span></p>")
            .Append("<nav aria-label=\"Trang công khai\"><ul>")
            .Append("<li><a href=\"/tra-cuu\">Tra cứu hồ sơ</a></li><li><a href=\"/xac-thuc\">Xác thực văn bản</a></li><li><a href=\"/thu-tuc\">Thủ tục hành chính</a></li>")
            .Append("</ul></nav></header><main id=\"noi-dung\"><h1>").Append(Bi(titleVi, titleEn)).Append("</h1>").Append(body).Append("</main>")
            .Append("<footer><p>Trang không dùng cookie và không gửi dữ liệu cho bên thứ ba. <span lang=\"en\">No cookies; nothing is sent to third parties.</span></p></footer>")
            .Append("</body></html>");
        return html.ToString();
    }

    /// <summary>A message box; <paramref name="kind"/> is ok, warn or err, and an error is announced to screen readers.</summary>
    public static string Box(string kind, string content) =>
        $"<div class=\"box {kind}\"{(kind == "err" ? " role=\"alert\"" : "")}>{content}</div>";
}
