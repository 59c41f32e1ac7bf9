using System.Collections.Concurrent;
using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <param name="IssueDate">The document's date (yyyy-MM-dd), today when not given; never before it was signed nor after today.</param>
public sealed record IssueForm(string? IssueDate = null);

public sealed record RecallForm(string Reason);

/// <summary>An update of an issued document's information (BusinessDocType 2): the reason, and what changes; its signed file stays as it is.</summary>
public sealed record UpdateForm(string Reason, string? Summary = null, int? Priority = null, string? DueDate = null);

/// <summary>
/// The records clerk numbers a signed document and has it sealed and sent; later may recall it. The
/// number comes from the series' counter in the same batch as the register entry and the document's
/// change, so two numberings never take one number and a crash never skips one; numberings in one
/// agency take turns within an instance, and the batch's ETags settle them across instances.
/// </summary>
public sealed class OutgoingNumbering(OutgoingStore store, OutgoingAccess access, MotCuaTables tables, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new();

    public async Task<OutgoingDocumentEntity> IssueAsync(OutgoingDocumentEntity d, int version, IssueForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        EnsureRecordsClerk(user);
        var today = VietnamTime.Today(time.GetUtcNow());
        var day = form.IssueDate is null ? today : Days.Parse(form.IssueDate) ?? throw BadRequest("issueDate", "Ngày ban hành theo dạng yyyy-MM-dd.", "The issue date is yyyy-MM-dd.");
        if (day > today || (d.SignedAt is { } signedAt && day < VietnamTime.Today(signedAt)))
            throw BadRequest("issueDate", "Ngày ban hành không trước ngày ký và không sau hôm nay.", "The issue date is neither before the signature nor after today.");
        var agency = await access.UnitAsync(d.Agency, cancellationToken) ?? throw UnknownUnit(d.Agency);
        var drafting = await access.UnitAsync(d.DraftingUnit, cancellationToken);
        var type = LetterTypes.All.First(t => t.Name == d.DocumentType);
        var series = DocumentNumbering.Series(type, d.LegalNormative, d.Secret);
        var notation = DocumentNumbering.Notation(type, d.LegalNormative, day.Year, agency.Abbreviation ?? DocumentNumbering.Abbreviate(agency.Name),
            drafting is { IsDepartment: true } ? drafting.Abbreviation ?? DocumentNumbering.Abbreviate(drafting.Name) : "VP");
        var turn = _turns.GetOrAdd(d.Agency, _ => new SemaphoreSlim(1, 1));
        return await store.ApplyAsync(d, version, async (row, ct) =>
        {
            if (row.State != OutgoingStatus.Signed) throw OutgoingProblems.StepNotAllowed(row.State, "cấp số", "numbered");
            var counter = await tables.Dossiers.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, OutgoingRows.Counter(day.Year, series), cancellationToken: ct);
            var next = (counter.HasValue ? counter.Value!.GetInt32("Last") ?? 0 : 0) + 1;
            var counterRow = counter.HasValue ? counter.Value! : new TableEntity(row.PartitionKey, OutgoingRows.Counter(day.Year, series));
            counterRow["Last"] = next;
            var entry = new RegisterEntryEntity
            {
                PartitionKey = row.PartitionKey, RowKey = OutgoingRows.RegisterEntry(day.Year, series, next), DocumentId = row.Id, Year = day.Year, Number = next,
                RegisteredAt = time.GetUtcNow(),
            };
            row.Series = series;
            row.Year = day.Year;
            row.Number = next;
            row.Notation = notation;
            row.IssueDate = Days.Format(day);
            row.NumberedBy = user.Id;
            return new OutgoingChange(OutgoingStatus.Numbered, "numbered", $"Cấp số {DocumentNumbering.Symbol(next, notation)} ngày {day:dd/MM/yyyy}.",
                new { series, year = day.Year, number = next, notation }, [counterRow, entry]);
        }, user.Id, cancellationToken, turn);
    }

    public Task<OutgoingDocumentEntity> RecallAsync(OutgoingDocumentEntity d, int version, RecallForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        EnsureRecordsClerk(user);
        if (string.IsNullOrWhiteSpace(form.Reason)) throw BadRequest("reason", "Cần lý do thu hồi văn bản.", "A reason for the recall is required.");
        var reason = OutgoingReview.CheckComment(form.Reason, required: true, "reason")!;
        return store.ApplyAsync(d, version, (row, _) =>
        {
            if (row.State != OutgoingStatus.Issued) throw OutgoingProblems.StepNotAllowed(row.State, "thu hồi", "recalled");
            row.RecalledAt = time.GetUtcNow();
            row.RecallReason = reason;
            return ValueTask.FromResult(new OutgoingChange(OutgoingStatus.Recalled, "recalled", $"Thu hồi văn bản {row.Symbol}: {reason}", new { code = "13", reason }));
        }, user.Id, cancellationToken);
    }

    public Task<OutgoingDocumentEntity> UpdateAsync(OutgoingDocumentEntity d, int version, UpdateForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        EnsureRecordsClerk(user);
        if (string.IsNullOrWhiteSpace(form.Reason)) throw BadRequest("reason", "Cần lý do cập nhật văn bản.", "A reason for the update is required.");
        var reason = OutgoingReview.CheckComment(form.Reason, required: true, "reason")!;
        var summary = form.Summary?.Trim();
        if (summary is { Length: 0 or > 2000 }) throw BadRequest("summary", "Trích yếu từ 1 đến 2000 ký tự.", "A summary has 1 to 2000 characters.");
        if (Domain.Text.SafeText.Check("summary", summary) is { } unsafeSummary) throw InvalidFields([unsafeSummary]);
        if (form.Priority is { } priority && !DocumentPriority.IsValid(priority)) throw BadRequest("priority", "Độ khẩn từ 0 đến 4.", "Priority is 0 to 4.");
        if (form.DueDate is not null && Days.Parse(form.DueDate) is null) throw BadRequest("dueDate", "Hạn trả lời theo dạng yyyy-MM-dd.", "The due date is yyyy-MM-dd.");
        if (summary is null && form.Priority is null && form.DueDate is null)
            throw BadRequest("summary", "Cần ít nhất một thông tin cập nhật: summary, priority hoặc dueDate.", "Give at least one of summary, priority or dueDate to update.");
        return store.ApplyAsync(d, version, (row, _) =>
        {
            if (row.State != OutgoingStatus.Issued) throw OutgoingProblems.StepNotAllowed(row.State, "cập nhật", "updated");
            row.Summary = summary ?? row.Summary;
            row.Priority = form.Priority ?? row.Priority;
            row.DueDate = form.DueDate ?? row.DueDate;
            return ValueTask.FromResult(new OutgoingChange(OutgoingStatus.Issued, "updated", $"Cập nhật thông tin văn bản {row.Symbol}: {reason}",
                new { code = "2", reason, summary, priority = form.Priority, dueDate = form.DueDate }));
        }, user.Id, cancellationToken);
    }

    private static void EnsureRecordsClerk(CurrentUser user)
    {
        if (!user.HasRole(Roles.RecordsClerk)) throw Forbidden("Chỉ văn thư cơ quan cấp số, ban hành và thu hồi văn bản.", "Only the agency's records clerk numbers, issues and recalls documents.");
    }
}
