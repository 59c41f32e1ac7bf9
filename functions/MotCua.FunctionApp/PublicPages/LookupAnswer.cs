using System.Text;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Lookup;
using static MotCua.FunctionApp.PublicPages.PageHtml;

namespace MotCua.FunctionApp.PublicPages;

/// <summary>A found dossier in words a citizen understands: where it is, what comes next, what they must do and how, and what happened so far.</summary>
public static class LookupAnswer
{
    public static string Body(LookupFound found)
    {
        var v = found.View;
        var status = (DossierStatus)v.Status.Code;
        var html = new StringBuilder(4096);
        html.Append("<dl>")
            .Append($"<dt>{Bi("Mã hồ sơ", "Dossier code")}</dt><dd>{E(v.Code)}</dd>")
            .Append($"<dt>{Bi("Thủ tục", "Procedure")}</dt><dd>{E(v.ProcedureName)}</dd>")
            .Append($"<dt>{Bi("Nơi tiếp nhận", "Received by")}</dt><dd>{E(v.ReceivingUnit)}</dd>")
            .Append($"<dt>{Bi("Ngày nộp", "Submitted")}</dt><dd>{Time(v.SubmittedAt)}</dd>")
            .Append($"<dt>{Bi("Tình trạng", "Status")}</dt><dd><strong>{E(v.Status.Name)}</strong> <span lang=\"en\">({E(v.Status.NameEn)})</span></dd>");
        if (v.DueAt is { } due) html.Append($"<dt>{Bi("Ngày hẹn trả kết quả", "Result due")}</dt><dd>{Time(due)}</dd>");
        if (v.TimeLeft is { } left)
            html.Append($"<dt>{Bi("Thời gian còn lại", "Time left")}</dt><dd>{E(left)}")
                .Append(status is DossierStatus.SupplementRequested or DossierStatus.FeesRequested ? " (tạm dừng, chờ bạn thực hiện yêu cầu dưới đây)" : "").Append("</dd>");
        if (v.Timeliness is { } t) html.Append($"<dt>{Bi("Thời hạn", "Timeliness")}</dt><dd>{E(t.Name)}</dd>");
        html.Append("</dl>");

        html.Append($"<h2>{Bi("Việc tiếp theo", "What happens next")}</h2><p>{E(Next(status))}</p>");
        html.Append($"<h2>{Bi("Việc bạn cần làm", "What you need to do")}</h2>").Append(ToDo(status, found));

        html.Append($"<h2>{Bi("Quá trình giải quyết", "Progress so far")}</h2><ol>");
        foreach (var step in v.Steps)
            html.Append($"<li><strong>{Time(step.At)}</strong>: {E(step.ActionName)}. Tình trạng: {E(step.Status.Name)}.</li>");
        html.Append("</ol><p><a href=\"/tra-cuu\">Tra cứu hồ sơ khác</a></p>");
        return html.ToString();
    }

    private static string Next(DossierStatus status) => status switch
    {
        DossierStatus.Receiving => "Hệ thống đang nhận các tệp bạn gửi. Khi nhận đủ, hồ sơ được đăng ký và chuyển cho cán bộ một cửa kiểm tra.",
        DossierStatus.Registered => "Cán bộ bộ phận một cửa sẽ kiểm tra thành phần hồ sơ, rồi tiếp nhận hoặc hướng dẫn bạn bổ sung.",
        DossierStatus.Accepted or DossierStatus.InProgress =>
            "Cơ quan đang giải quyết hồ sơ. Khi có kết quả, bạn được báo qua ứng dụng MotCua hoặc tin nhắn, và trang này sẽ ghi “Đã có kết quả”.",
        DossierStatus.SupplementRequested => "Hồ sơ tạm dừng cho tới khi bạn bổ sung giấy tờ. Sau khi nhận đủ, cơ quan giải quyết tiếp và thời hạn được tính tiếp.",
        DossierStatus.FeesRequested => "Hồ sơ tạm dừng cho tới khi bạn nộp phí, lệ phí. Sau khi nộp, cơ quan giải quyết tiếp và thời hạn được tính tiếp.",
        DossierStatus.Resolved => "Đã có kết quả giải quyết, đang chờ bạn nhận.",
        DossierStatus.Returned => "Hồ sơ đã hoàn thành và kết quả đã được trả.",
        DossierStatus.RefusedAtIntake => "Hồ sơ không được tiếp nhận; lý do ghi trong phiếu từ chối cán bộ đã gửi bạn.",
        DossierStatus.Withdrawn => "Hồ sơ đã được rút theo đề nghị của bạn; cơ quan không giải quyết tiếp.",
        DossierStatus.Stopped => "Cơ quan đã dừng giải quyết hồ sơ; lý do ghi trong thông báo đã gửi bạn.",
        _ => "Cơ quan đang giải quyết hồ sơ.",
    };

    private static string ToDo(DossierStatus status, LookupFound found)
    {
        var unit = E(found.View.ReceivingUnit);
        var request = found.Request is { } r ? $"<p>Cơ quan yêu cầu:</p><blockquote>{E(r)}</blockquote>" : "";
        switch (status)
        {
            case DossierStatus.SupplementRequested:
                var components = found.Procedure?.Components ?? [];
                return Box("warn", "<p><strong>Bạn cần bổ sung giấy tờ.</strong> <span lang=\"en\">Please supply the missing papers.</span></p>" + request
                    + (components.Count == 0 ? "" : "<p>Giấy tờ của thủ tục này:</p><ul>"
                        + string.Concat(components.Select(c => $"<li>{E(c.Name)} ({(c.Original ? "bản chính" : "bản sao")}{(c.Mandatory ? ", bắt buộc" : "")})</li>"))
                        + "</ul>")
                    + $"<p>Cách bổ sung: mang giấy tờ và Giấy tiếp nhận hồ sơ đến Bộ phận một cửa của {unit} trong giờ hành chính; "
                    + "nếu bạn nộp trực tuyến, có thể gửi bản điện tử trong ứng dụng MotCua (mục Hồ sơ của tôi).</p>");
            case DossierStatus.FeesRequested:
                var fee = found.Procedure is { } p ? $"<p>Phí, lệ phí theo thủ tục: <strong>{E(Money(p.Fee))}</strong>.</p>" : "";
                return Box("warn", "<p><strong>Bạn cần nộp phí, lệ phí.</strong> <span lang=\"en\">Please pay the fees.</span></p>" + fee + request
                    + $"<p>Nơi nộp: Bộ phận một cửa của {unit} (tiền mặt hoặc chuyển khoản theo hướng dẫn của cán bộ), "
                    + "hoặc thanh toán trực tuyến trong ứng dụng MotCua. Giữ lại biên lai.</p>");
            case DossierStatus.Resolved:
                return Box("ok", $"<p><strong>Mời bạn nhận kết quả.</strong> <span lang=\"en\">Your result is ready.</span></p><p>Mang Giấy tiếp nhận hồ sơ và giấy tờ tùy thân "
                    + $"đến Bộ phận một cửa của {unit}; nếu bạn nộp trực tuyến, tải kết quả trong ứng dụng MotCua.</p>");
            default:
                return Box("ok", "<p>Hiện bạn không cần làm gì thêm. <span lang=\"en\">Nothing to do for now.</span></p>"
                    + "<p>Giữ Giấy tiếp nhận hồ sơ để tra cứu và nhận kết quả.</p>");
        }
    }
}
