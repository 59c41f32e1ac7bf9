using System.Globalization;
using MotCua.Domain.Correspondence;

namespace MotCua.FunctionApp.Correspondence.Outgoing.Notifications;

/// <summary>Why an official hears of an outgoing document (the inbox's and the push's <c>kind</c>).</summary>
public static class OutgoingNoticeKinds
{
    /// <summary>To the drafter: the reviewer or the signer returned the draft, with a comment.</summary>
    public const string Returned = "outgoing-returned";

    /// <summary>To the named reviewer, or the heads of the drafting department: a draft waits for review.</summary>
    public const string Review = "outgoing-review";

    /// <summary>To the signer: a draft waits for their signature.</summary>
    public const string Signature = "outgoing-signature";

    /// <summary>To the agency's records clerks: a signed document waits for its number.</summary>
    public const string Signed = "outgoing-signed";

    /// <summary>To the drafter: the document was numbered, sealed and sent.</summary>
    public const string Issued = "outgoing-issued";

    /// <summary>To the drafter and the signer: the records clerk recalled the document.</summary>
    public const string Recalled = "outgoing-recalled";

    /// <summary>To the agency's records clerks and the drafter: a recipient of this system refused the document.</summary>
    public const string Refused = "outgoing-refused";
}

/// <summary>
/// The document as a notification names it: its type, its number once it has one, its summary. A
/// secret one only as "văn bản mật": its type, number, summary and comments never leave the system
/// in a notification (a push travels through Google).
/// </summary>
public sealed record OutgoingLetter(bool Secret, bool Draft, string? DocumentType, string? Symbol, string? Summary)
{
    public static OutgoingLetter Of(OutgoingDocumentEntity d) => d.Secret
        ? new OutgoingLetter(true, d.SignedBy is null, null, null, null)
        : new OutgoingLetter(false, d.SignedBy is null, d.DocumentType, d.Symbol, d.Summary);
}

/// <summary>
/// What one notification about an outgoing document says: why (<see cref="Kind"/>), the document, its
/// urgency, who acted (<see cref="ActorName"/>: who returned, submitted or signed it, or the recipient that
/// refused it), and a quoted note (the comment, the recall's or the refusal's reason; never of a secret document).
/// </summary>
public sealed record OutgoingNotice(string Kind, OutgoingLetter Letter, int Priority, string? ActorName = null, string? Note = null, DateOnly? IssueDate = null);

/// <summary>The words of every notification about an outgoing document, in Vietnamese and English (by the recipient's locale; Vietnamese when unknown).</summary>
public static class OutgoingNoticeTemplates
{
    private static readonly string[] EnglishPriorities = ["Normal", "Urgent", "Very urgent", "Flash", "Flash, timed"];

    public static (string Title, string Body) Render(OutgoingNotice n, string? locale)
    {
        var english = locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
        var urgent = DocumentPriority.IsUrgent(n.Priority) && DocumentPriority.IsValid(n.Priority);
        var flag = !urgent ? "" : english ? $"[{EnglishPriorities[n.Priority]}] " : $"[{DocumentPriority.Name(n.Priority)}] ";
        var doc = Reference(n.Letter, english);
        var summary = n.Letter.Secret ? null : Shorten(n.Letter.Summary);
        var note = n.Letter.Secret ? null : Quote(n.Note);
        return english ? English(n, flag, doc, summary, note) : Vietnamese(n, flag, doc, summary, note);
    }

    private static (string, string) Vietnamese(OutgoingNotice n, string flag, string doc, string? summary, string? note)
    {
        var named = summary is null ? Capital(doc) : $"{Capital(doc)} “{summary}”";
        var day = n.IssueDate is { } d ? " ngày " + d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) : "";
        var recipient = n.ActorName ?? "cơ quan nhận";
        return n.Kind switch
        {
            OutgoingNoticeKinds.Returned => ($"{flag}{Capital(doc)} bị trả lại",
                $"{named} bị {(n.ActorName is null ? "" : n.ActorName + " ")}trả lại" + (note is null ? "." : $": {note}")),
            OutgoingNoticeKinds.Review => ($"{flag}{Capital(doc)} chờ anh/chị duyệt",
                $"{n.ActorName ?? "Người soạn thảo"} trình duyệt {doc}" + (summary is null ? "." : $" “{summary}”.") + (note is null ? "" : $" Ý kiến: {note}")),
            OutgoingNoticeKinds.Signature => ($"{flag}{Capital(doc)} chờ anh/chị ký",
                $"{n.ActorName ?? "Người soạn thảo"} trình ký {doc}" + (summary is null ? "." : $" “{summary}”.") + (note is null ? "" : $" Ý kiến: {note}")),
            OutgoingNoticeKinds.Signed => ($"{flag}{Capital(doc)} chờ cấp số",
                $"{named} đã được {(n.ActorName is null ? "" : n.ActorName + " ")}ký số. Đề nghị cấp số, ký số của cơ quan và phát hành."),
            OutgoingNoticeKinds.Issued => ($"{Capital(doc)} đã được ban hành",
                $"{named}{day} đã được ký số của cơ quan và gửi đến nơi nhận."),
            OutgoingNoticeKinds.Recalled => ($"{Capital(doc)} đã bị thu hồi",
                $"Văn thư đã thu hồi {doc}" + (summary is null ? "" : $" “{summary}”") + (note is null ? "." : $": {note}")),
            OutgoingNoticeKinds.Refused => ($"{flag}{Capital(doc)} bị {recipient} từ chối",
                $"{named} bị {recipient} từ chối" + (note is null ? "." : $": {note}")),
            _ => throw new ArgumentOutOfRangeException(nameof(n), n.Kind, null),
        };
    }

    private static (string, string) English(OutgoingNotice n, string flag, string doc, string? summary, string? note)
    {
        var named = summary is null ? Capital(doc) : $"{Capital(doc)} “{summary}”";
        var who = n.ActorName;
        var day = n.IssueDate is { } d ? " of " + d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) : "";
        return n.Kind switch
        {
            OutgoingNoticeKinds.Returned => ($"{flag}{Capital(doc)} was returned",
                $"{named} was returned" + (who is null ? "" : $" by {who}") + (note is null ? "." : $": {note}")),
            OutgoingNoticeKinds.Review => ($"{flag}{Capital(doc)} awaits your review",
                $"{who ?? "The drafter"} submitted {doc}" + (summary is null ? "" : $" “{summary}”") + " for review." + (note is null ? "" : $" Comment: {note}")),
            OutgoingNoticeKinds.Signature => ($"{flag}{Capital(doc)} awaits your signature",
                $"{who ?? "The drafter"} submitted {doc}" + (summary is null ? "" : $" “{summary}”") + " for signature." + (note is null ? "" : $" Comment: {note}")),
            OutgoingNoticeKinds.Signed => ($"{flag}{Capital(doc)} awaits its number",
                $"{named} was signed" + (who is null ? "" : $" by {who}") + ". Please number, seal and issue it."),
            OutgoingNoticeKinds.Issued => ($"{Capital(doc)} was issued", $"{named}{day} was sealed by the agency and sent to its recipients."),
            OutgoingNoticeKinds.Recalled => ($"{Capital(doc)} was recalled", $"The records clerk recalled {doc}" + (summary is null ? "" : $" “{summary}”") + (note is null ? "." : $": {note}")),
            OutgoingNoticeKinds.Refused => ($"{flag}{Capital(doc)} was refused by {who ?? "a recipient"}",
                $"{named} was refused by {who ?? "a recipient"}" + (note is null ? "." : $": {note}")),
            _ => throw new ArgumentOutOfRangeException(nameof(n), n.Kind, null),
        };
    }

    /// <summary>"dự thảo công văn" before its number, "công văn số 01/UBND-VHXH" after; a secret one "dự thảo văn bản mật" or "văn bản mật".</summary>
    private static string Reference(OutgoingLetter l, bool english)
    {
        var type = l.Secret ? (english ? "secret document" : "văn bản mật")
            : l.DocumentType is { Length: > 0 } t ? (english ? "document" : t.ToLowerInvariant())
            : english ? "document" : "văn bản";
        if (l.Draft) return english ? "draft " + type : "dự thảo " + type;
        return l.Secret || l.Symbol is null ? type : english ? $"{type} no. {l.Symbol}" : $"{type} số {l.Symbol}";
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The summary on one line, without its closing full stop, shortened to whole letters.</summary>
    private static string? Shorten(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
        var info = new StringInfo(text);
        return info.LengthInTextElements > Incoming.Notifications.IncomingNoticeTemplates.MaxQuoted ? info.SubstringByTextElements(0, Incoming.Notifications.IncomingNoticeTemplates.MaxQuoted).TrimEnd() + "…" : text;
    }

    /// <summary>The text as given, ending in a full stop, shortened to whole letters (a Vietnamese letter may carry combining marks).</summary>
    private static string? Quote(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var info = new StringInfo(text);
        if (info.LengthInTextElements > Incoming.Notifications.IncomingNoticeTemplates.MaxQuoted) return info.SubstringByTextElements(0, Incoming.Notifications.IncomingNoticeTemplates.MaxQuoted).TrimEnd() + "…";
        return text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') || text.EndsWith('…') ? text : text + ".";
    }
}
