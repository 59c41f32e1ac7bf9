using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Notifications;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Incoming;

public sealed record AssignmentForm(string Officer, string? DueDate, string? Comment);

public sealed record ProgressForm(string Note);

/// <summary>How handling ended: the result, and the reply when it is an outgoing document (its QCVN identifier or MotCua id).</summary>
public sealed record FinishForm(string Result, string? ReplyDocumentId);

/// <summary>
/// After the direction: the lead department's head passes the document to one of its officials
/// with their own limit; whoever handles it records progress and finishes it.
/// </summary>
public sealed class IncomingHandling(IncomingStore store, MemberDirectory members, TimeProvider time)
{
    public async Task<IncomingApplied> AssignAsync(IncomingDocumentEntity d, int? expectedVersion, AssignmentForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!IncomingAccess.IsLeadDepartmentHead(user, d))
            throw Forbidden("Chỉ trưởng phòng, ban chủ trì giao văn bản cho cán bộ.", "Only the head of the lead department passes the document on.");
        var officer = string.IsNullOrWhiteSpace(form.Officer) ? null : await members.FindAsync([d.LeadUnit!], form.Officer, cancellationToken);
        if (officer is null) throw IncomingProblems.UnknownHandler(form.Officer ?? string.Empty);
        DateOnly? due = null;
        if (form.DueDate is not null)
        {
            due = Days.Parse(form.DueDate) ?? throw BadRequest("dueDate", "Thời hạn theo dạng yyyy-MM-dd.", "The time limit is yyyy-MM-dd.");
            if (due < VietnamTime.Today(time.GetUtcNow())) throw BadRequest("dueDate", "Thời hạn đã qua.", "The time limit has passed.");
            if (d.Due is { } overall && due > overall)
                throw BadRequest("dueDate", $"Thời hạn không quá thời hạn lãnh đạo giao ({overall:dd/MM/yyyy}).", $"The limit is not later than the direction's ({Days.Format(overall)}).");
        }
        var comment = Text("comment", form.Comment, required: false);
        return await store.ApplyAsync(d, expectedVersion, (doc, _) =>
        {
            if (doc.State is not (IncomingStatus.Directed or IncomingStatus.InProgress)) throw IncomingProblems.StepNotAllowed(doc.State, "giao xử lý", "passed on");
            doc.Assignee = officer.RowKey;
            doc.AssigneeDueDate = due is { } day ? Days.Format(day) : null;
            doc.AssignedBy = user.Id;
            return ValueTask.FromResult(new IncomingChange(doc.State, "assigned", $"Giao {officer.Name} xử lý. {comment}".Trim(),
                new { officer = officer.RowKey, dueDate = doc.AssigneeDueDate, comment }));
        }, user.Id, cancellationToken);
    }

    public Task<IncomingApplied> ProgressAsync(IncomingDocumentEntity d, int? expectedVersion, ProgressForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        RequireLeadHandler(user, d);
        var note = Text("note", form.Note, required: true);
        return store.ApplyAsync(d, expectedVersion, (doc, _) =>
        {
            if (doc.State is not (IncomingStatus.Directed or IncomingStatus.InProgress)) throw IncomingProblems.StepNotAllowed(doc.State, "cập nhật tiến độ", "updated");
            doc.LastProgress = note;
            doc.LastProgressAt = time.GetUtcNow();
            return ValueTask.FromResult(new IncomingChange(IncomingStatus.InProgress, "progress", note));
        }, user.Id, cancellationToken);
    }

    public Task<IncomingApplied> FinishAsync(IncomingDocumentEntity d, int? expectedVersion, FinishForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        RequireLeadHandler(user, d);
        var result = Text("result", form.Result, required: true);
        if (form.ReplyDocumentId is { } reply && (reply.Length > QcvnDocumentId.MaxLength
            || !(QcvnDocumentId.TryParse(reply, out _) || reply.StartsWith("OUT-", StringComparison.Ordinal)) || SafeText.Check("replyDocumentId", reply) is not null))
        {
            throw BadRequest("replyDocumentId", "Văn bản trả lời: mã định danh văn bản (QCVN 102) hoặc mã văn bản đi.", "The reply: a QCVN 102 document identifier or an outgoing document's id.");
        }
        return store.ApplyAsync(d, expectedVersion, (doc, _) =>
        {
            if (doc.State is not (IncomingStatus.Directed or IncomingStatus.InProgress)) throw IncomingProblems.StepNotAllowed(doc.State, "kết thúc xử lý", "finished");
            var now = time.GetUtcNow();
            doc.FinishedAt = now;
            doc.FinishedBy = user.Id;
            doc.Result = result;
            doc.ReplyDocumentId = form.ReplyDocumentId;
            doc.FinishedLate = doc.HandlerDue is { } due && VietnamTime.Today(now) > due;
            return ValueTask.FromResult(new IncomingChange(IncomingStatus.Finished, "finished", result, new { result, replyDocumentId = form.ReplyDocumentId, late = doc.FinishedLate }));
        }, user.Id, cancellationToken);
    }

    private static void RequireLeadHandler(CurrentUser user, IncomingDocumentEntity d)
    {
        if (!IncomingAccess.IsLeadHandler(user, d))
            throw Forbidden("Chỉ người chủ trì xử lý cập nhật tiến độ và kết thúc văn bản.", "Only the lead handler records progress and finishes the document.");
    }

    private static string Text(string field, string? value, bool required)
    {
        var text = value?.Trim() ?? string.Empty;
        if (required && text.Length == 0) throw BadRequest(field, "Nội dung bắt buộc.", "This is required.");
        if (text.Length > 2000) throw BadRequest(field, "Tối đa 2000 ký tự.", "At most 2000 characters.");
        if (SafeText.Check(field, text, LineBreaks.Allowed) is { } unsafeText) throw InvalidFields([unsafeText]);
        return text;
    }
}
