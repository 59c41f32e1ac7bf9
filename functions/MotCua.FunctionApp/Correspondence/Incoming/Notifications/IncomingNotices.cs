using System.Globalization;
using MotCua.Domain.Correspondence;

namespace MotCua.FunctionApp.Correspondence.Incoming.Notifications;

/// <summary>Why an official hears of an incoming document (the inbox's and the push's <c>kind</c>).</summary>
public static class IncomingNoticeKinds
{
    /// <summary>To the agency's records clerks: a document arrived and waits to be registered.</summary>
    public const string Arrived = "incoming-arrived";

    /// <summary>To the agency's leaders and deputies: a registered document waits for their direction.</summary>
    public const string Registered = "incoming-registered";

    /// <summary>To the lead official, or the heads of the lead department.</summary>
    public const string Lead = "incoming-lead";

    /// <summary>To co-handling officials, or the heads of co-handling departments.</summary>
    public const string CoHandling = "incoming-co-handling";

    /// <summary>To those informed (để biết): officials, or the heads of departments.</summary>
    public const string Informed = "incoming-informed";

    /// <summary>To the official the lead department's head passed it to.</summary>
    public const string Assigned = "incoming-assigned";

    /// <summary>To whoever directed it: it was finished.</summary>
    public const string Finished = "incoming-finished";

    /// <summary>To the handler: one working day left.</summary>
    public const string DueSoon = "incoming-due-soon";

    /// <summary>To the handler and whoever directed it, each working day while it stays open after its limit.</summary>
    public const string Overdue = "incoming-overdue";
}

/// <summary>
/// The document as a notification names it. A secret one by its receipt number only: its summary,
/// sender and number never leave the system in a notification (a push travels through Google).
/// </summary>
public sealed record IncomingLetter(bool Secret, int? RegisterNumber, string? DocumentType, string? Number, string? Notation, string? SenderName, string? Summary)
{
    public static IncomingLetter Of(IncomingDocumentEntity? d, bool secret, string? summary)
    {
        secret = secret || d?.Secret == true;
        return secret
            ? new IncomingLetter(true, d?.RegisterNumber, null, null, null, null, null)
            : new IncomingLetter(false, d?.RegisterNumber, d?.DocumentType, d?.Number, d?.Notation, d?.SenderName, summary ?? d?.Summary);
    }
}

/// <summary>
/// What one notification about an incoming document says: why (<see cref="Kind"/>), the document, its
/// urgency and time limit, who leads it (for co-handlers and those informed), the department the
/// recipient heads when it is told as such, a quoted note (the direction's comment or the result; never
/// of a secret document), whether the direction replaced an earlier one, the chase's number, and
/// whether it was finished late.
/// </summary>
public sealed record IncomingNotice(string Kind, IncomingLetter Letter, int Priority, DateOnly? DueDate, string? LeadName = null, string? UnitName = null,
    string? Note = null, bool Redirected = false, int Chase = 0, bool Late = false);

/// <summary>The words of every notification about an incoming document, in Vietnamese and English (by the recipient's locale; Vietnamese when unknown).</summary>
public static class IncomingNoticeTemplates
{
    /// <summary>A summary or a comment is quoted up to this many letters, so a push stays within FCM's 4 KB.</summary>
    public const int MaxQuoted = 200;

    private static readonly string[] EnglishPriorities = ["Normal", "Urgent", "Very urgent", "Flash", "Flash, timed"];

    public static (string Title, string Body) Render(IncomingNotice n, string? locale)
    {
        var english = locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
        var urgent = DocumentPriority.IsUrgent(n.Priority) && DocumentPriority.IsValid(n.Priority);
        var flag = !urgent ? "" : english ? $"[{EnglishPriorities[n.Priority]}] " : $"[{DocumentPriority.Name(n.Priority)}] ";
        var doc = Reference(n.Letter, english);
        var about = Describe(n.Letter, english);
        var due = n.DueDate?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        var note = Quote(n.Note);
        return english ? English(n, flag, doc, about, due, note, urgent) : Vietnamese(n, flag, doc, about, due, note, urgent);
    }

    private static (string, string) Vietnamese(IncomingNotice n, string flag, string doc, string about, string? due, string? note, bool urgent)
    {
        var whom = n.UnitName ?? "đồng chí";
        var again = n.Redirected ? "Lãnh đạo đã chỉ đạo lại. " : "";
        var dueText = due is null ? "" : $" Hạn xử lý: {due}.";
        var lead = n.LeadName is null ? "" : $" Chủ trì: {n.LeadName}.";
        var direction = note is null ? "" : $" Ý kiến chỉ đạo: {note}";
        return n.Kind switch
        {
            IncomingNoticeKinds.Arrived => ($"{flag}{Capital(doc)} chờ vào sổ",
                about + (urgent ? " Văn bản khẩn: đề nghị vào sổ và trình lãnh đạo ngay." : " Đề nghị kiểm tra và vào sổ.")),
            IncomingNoticeKinds.Registered => ($"{flag}{Capital(doc)} chờ chỉ đạo", $"{about} Đề nghị đồng chí cho ý kiến chỉ đạo."),
            IncomingNoticeKinds.Lead => ($"{flag}Giao {whom} chủ trì xử lý {doc}",
                again + about + dueText + direction + (n.UnitName is null ? "" : " Đề nghị phân công cán bộ xử lý.")),
            IncomingNoticeKinds.CoHandling => ($"{flag}Giao {whom} phối hợp xử lý {doc}", again + about + lead + dueText + direction),
            IncomingNoticeKinds.Informed => ($"{flag}{Capital(doc)} gửi {whom} để biết", again + about + lead + direction),
            IncomingNoticeKinds.Assigned => ($"{flag}Giao đồng chí xử lý {doc}", about + dueText),
            IncomingNoticeKinds.Finished => ($"{Capital(doc)} đã xử lý xong" + (n.Late ? " (quá hạn)" : ""), about + (note is null ? "" : $" Kết quả: {note}")),
            IncomingNoticeKinds.DueSoon => ($"{flag}{Capital(doc)} sắp đến hạn xử lý", about + dueText),
            IncomingNoticeKinds.Overdue => ($"{flag}{Capital(doc)} đã quá hạn xử lý",
                $"{about}{dueText} Đôn đốc lần {n.Chase.ToString(CultureInfo.InvariantCulture)}: đề nghị khẩn trương hoàn thành."),
            _ => throw new ArgumentOutOfRangeException(nameof(n), n.Kind, null),
        };
    }

    private static (string, string) English(IncomingNotice n, string flag, string doc, string about, string? due, string? note, bool urgent)
    {
        var again = n.Redirected ? "The direction was changed. " : "";
        var dueText = due is null ? "" : $" Due {due}.";
        var lead = n.LeadName is null ? "" : $" Lead: {n.LeadName}.";
        var direction = note is null ? "" : $" Direction: {note}";
        return n.Kind switch
        {
            IncomingNoticeKinds.Arrived => ($"{flag}{Capital(doc)} awaits registration",
                about + (urgent ? " Urgent: please register it and present it to the leaders at once." : " Please check and register it.")),
            IncomingNoticeKinds.Registered => ($"{flag}{Capital(doc)} awaits direction", $"{about} Please give your direction."),
            IncomingNoticeKinds.Lead => ($"{flag}{n.UnitName ?? "You"} {(n.UnitName is null ? "lead" : "leads")} the handling of {doc}",
                again + about + dueText + direction + (n.UnitName is null ? "" : " Please assign an official.")),
            IncomingNoticeKinds.CoHandling => ($"{flag}{n.UnitName ?? "You"} {(n.UnitName is null ? "co-handle" : "co-handles")} {doc}", again + about + lead + dueText + direction),
            IncomingNoticeKinds.Informed => ($"{flag}{Capital(doc)} for {(n.UnitName is null ? "your" : n.UnitName + "'s")} information", again + about + lead + direction),
            IncomingNoticeKinds.Assigned => ($"{flag}You handle {doc}", about + dueText),
            IncomingNoticeKinds.Finished => ($"{Capital(doc)} handled" + (n.Late ? " (late)" : ""), about + (note is null ? "" : $" Result: {note}")),
            IncomingNoticeKinds.DueSoon => ($"{flag}{Capital(doc)} is due soon", about + dueText),
            IncomingNoticeKinds.Overdue => ($"{flag}{Capital(doc)} is overdue",
                $"{about}{dueText} Reminder {n.Chase.ToString(CultureInfo.InvariantCulture)}: please finish it without delay."),
            _ => throw new ArgumentOutOfRangeException(nameof(n), n.Kind, null),
        };
    }

    /// <summary>"văn bản đến số 12", or for a secret one "văn bản mật số đến 12"; without the number before registration.</summary>
    private static string Reference(IncomingLetter l, bool english)
    {
        var number = l.RegisterNumber?.ToString(CultureInfo.InvariantCulture);
        return (l.Secret, number, english) switch
        {
            (false, null, false) => "văn bản đến",
            (false, { } n, false) => $"văn bản đến số {n}",
            (true, null, false) => "văn bản mật",
            (true, { } n, false) => $"văn bản mật số đến {n}",
            (false, null, true) => "incoming document",
            (false, { } n, true) => $"incoming document no. {n}",
            (true, null, true) => "secret document",
            (true, { } n, true) => $"secret document, receipt no. {n}",
        };
    }

    /// <summary>What the document is: its type, number and notation, sender and summary; a secret one only by its receipt number.</summary>
    private static string Describe(IncomingLetter l, bool english)
    {
        if (l.Secret) return Capital(Reference(l, english)) + ".";
        var text = l.DocumentType ?? (english ? "Document" : "Văn bản");
        if (l.Number is { Length: > 0 } number) text += (english ? " no. " : " số ") + number + (l.Notation is { Length: > 0 } notation ? "/" + notation : "");
        if (l.SenderName is { Length: > 0 } sender) text += (english ? " from " : " của ") + sender;
        return Quote(l.Summary) is { } summary ? $"{text}: {summary}" : text + ".";
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The text as given, ending in a full stop, shortened to whole letters (a Vietnamese letter may carry combining marks).</summary>
    private static string? Quote(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var info = new StringInfo(text);
        if (info.LengthInTextElements > MaxQuoted) return info.SubstringByTextElements(0, MaxQuoted).TrimEnd() + "…";
        return text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') || text.EndsWith('…') ? text : text + ".";
    }
}
