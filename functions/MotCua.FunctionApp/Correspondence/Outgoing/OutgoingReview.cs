using MotCua.Domain.Correspondence;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Auth;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <param name="Decision">"pass" sends the draft on to its signer; "return" sends it back to the drafter with the comment.</param>
public sealed record ReviewForm(string Decision, string? Comment = null);

/// <summary>The reviewer (the named one, or the drafting department's head) passes the draft on to the signer or returns it; every round stays in the history.</summary>
public sealed class OutgoingReview(OutgoingStore store)
{
    public Task<OutgoingDocumentEntity> ReviewAsync(OutgoingDocumentEntity d, int version, ReviewForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!OutgoingAccess.IsReviewer(user, d)) throw Forbidden("Chỉ người duyệt dự thảo được duyệt.", "Only the draft's reviewer reviews it.");
        var pass = form.Decision switch
        {
            "pass" => true,
            "return" => false,
            _ => throw BadRequest("decision", "decision là \"pass\" (trình ký) hoặc \"return\" (trả lại).", "decision is \"pass\" or \"return\"."),
        };
        var comment = CheckComment(form.Comment, required: !pass);
        return store.ApplyAsync(d, version, (row, _) =>
        {
            if (row.State != OutgoingStatus.InReview) throw OutgoingProblems.StepNotAllowed(row.State, "duyệt", "reviewed");
            row.LastComment = comment;
            return ValueTask.FromResult(pass
                ? new OutgoingChange(OutgoingStatus.AwaitingSignature, "review-passed", comment ?? "Đồng ý, trình ký.")
                : new OutgoingChange(OutgoingStatus.Returned, "review-returned", comment!));
        }, user.Id, cancellationToken);
    }

    /// <summary>A comment as people read it: required when the draft goes back, at most 2000 characters, safe text.</summary>
    public static string? CheckComment(string? comment, bool required, string field = "comment")
    {
        var text = comment?.Trim();
        if (required && string.IsNullOrEmpty(text)) throw BadRequest(field, "Cần ý kiến khi trả lại dự thảo.", "A comment is required to return the draft.");
        if (text?.Length > 2000) throw BadRequest(field, "Tối đa 2000 ký tự.", "At most 2000 characters.");
        if (SafeText.Check(field, text) is { } unsafeText) throw InvalidFields([unsafeText]);
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
