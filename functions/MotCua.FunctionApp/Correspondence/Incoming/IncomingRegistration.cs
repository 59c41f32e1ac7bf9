using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>The fields the records clerk confirms at registration (a paper scan's suggestions, corrected); any left out stay as they are.</summary>
public sealed record RegistrationForm(string? SenderName = null, string? Number = null, string? Notation = null, string? DocumentDate = null,
    string? DocumentType = null, string? Summary = null, int? Priority = null);

public sealed record ReturnForm(string Reason);

/// <summary>
/// The records clerk's two answers to an arrived document: register it with the next số đến of the
/// agency's register for the year, or return it to the sender with a reason. Registration takes the
/// number in the same batch as the entry and the document, under the counter's ETag, so concurrent
/// registrations retry rather than share or skip a number.
/// </summary>
public sealed class IncomingRegistration(IncomingStore store, MotCuaTables tables, TimeProvider time)
{
    /// <summary>
    /// Registrations of one agency take turns within an instance from reading the counter to writing
    /// the batch, so its counter is contended only across instances (where the ETag makes the loser
    /// read it again), not by every request at once; sending their events overlaps.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);

    public Task<IncomingApplied> RegisterAsync(IncomingDocumentEntity d, int? expectedVersion, RegistrationForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        RequireRecordsClerk(user);
        CheckFields(form);
        var turn = _turns.GetOrAdd(d.Agency, _ => new SemaphoreSlim(1, 1));
        return store.ApplyAsync(d, expectedVersion, async (doc, ct) =>
        {
            if (doc.State != IncomingStatus.Arrived) throw IncomingProblems.StepNotAllowed(doc.State, "vào sổ", "registered");
            if (!doc.Secret && doc.FilesChecked < doc.FileCount) throw IncomingProblems.SignaturesNotChecked();
            if (doc.Channel == "electronic" && doc.SignatureVerdict is { } verdict && verdict != "valid") throw IncomingProblems.SignatureInvalid(verdict);
            Confirm(doc, form);
            List<FieldError> missing = [];
            if (string.IsNullOrWhiteSpace(doc.SenderName)) missing.Add(new("senderName", "Cần tên cơ quan gửi.", "The sender's name is required."));
            if (string.IsNullOrWhiteSpace(doc.Summary)) missing.Add(new("summary", "Cần trích yếu nội dung.", "The summary is required."));
            if (missing.Count > 0) throw InvalidFields(missing);

            var now = time.GetUtcNow();
            var year = VietnamTime.Today(now).Year;
            var counter = await tables.Dossiers.GetEntityIfExistsAsync<TableEntity>(doc.PartitionKey, IncomingRows.Counter(year), cancellationToken: ct);
            var number = (counter.HasValue ? counter.Value!.GetInt32("Value") ?? 0 : 0) + 1;
            var nextCounter = new TableEntity(doc.PartitionKey, IncomingRows.Counter(year)) { ["Value"] = number };
            if (counter.HasValue) nextCounter.ETag = counter.Value!.ETag;
            doc.RegisterYear = year;
            doc.RegisterNumber = number;
            doc.RegisteredAt = now;
            doc.RegisteredBy = user.Id;
            var entry = new RegisterEntryEntity
            {
                PartitionKey = doc.PartitionKey, RowKey = IncomingRows.RegisterEntry(year, number), DocumentId = doc.Id, Year = year, Number = number, RegisteredAt = now,
            };
            return new IncomingChange(IncomingStatus.Registered, "registered", $"Vào sổ văn bản đến số {number}/{year}.",
                new { year, receiptNumber = number, confirmed = form }, [nextCounter, entry]);
        }, user.Id, turn, cancellationToken);
    }

    public Task<IncomingApplied> ReturnAsync(IncomingDocumentEntity d, int? expectedVersion, ReturnForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        RequireRecordsClerk(user);
        if (string.IsNullOrWhiteSpace(form.Reason) || form.Reason.Length > 2000)
            throw BadRequest("reason", "Cần lý do trả lại (tối đa 2000 ký tự).", "A reason (at most 2000 characters) is required.");
        if (SafeText.Check("reason", form.Reason, LineBreaks.Allowed) is { } unsafeText) throw InvalidFields([unsafeText]);
        return store.ApplyAsync(d, expectedVersion, (doc, _) =>
        {
            if (doc.State != IncomingStatus.Arrived) throw IncomingProblems.StepNotAllowed(doc.State, "trả lại", "returned");
            doc.ReturnReason = form.Reason.Trim();
            return ValueTask.FromResult(new IncomingChange(IncomingStatus.Returned, "returned", doc.ReturnReason, new { reason = doc.ReturnReason }));
        }, user.Id, cancellationToken);
    }

    private static void RequireRecordsClerk(CurrentUser user)
    {
        if (!user.HasRole(Roles.RecordsClerk)) throw Forbidden("Chỉ văn thư vào sổ hoặc trả lại văn bản đến.", "Only a records clerk registers or returns incoming documents.");
    }

    /// <summary>What the clerk sends, else what the document said on arrival, else what its scan suggested.</summary>
    private static void Confirm(IncomingDocumentEntity doc, RegistrationForm form)
    {
        var suggested = doc.Suggestion is null ? null : System.Text.Json.JsonSerializer.Deserialize<LetterFields>(doc.Suggestion, System.Text.Json.JsonSerializerOptions.Web);
        doc.SenderName = form.SenderName?.Trim() ?? doc.SenderName ?? suggested?.SenderName;
        doc.Number = form.Number?.Trim() ?? doc.Number ?? suggested?.Number;
        doc.Notation = form.Notation?.Trim() ?? doc.Notation ?? suggested?.Notation;
        doc.DocumentDate = form.DocumentDate ?? doc.DocumentDate ?? (suggested?.DocumentDate is { } day ? Days.Format(day) : null);
        doc.DocumentType = form.DocumentType?.Trim() ?? doc.DocumentType ?? suggested?.DocumentType;
        doc.Summary = form.Summary?.Trim() ?? doc.Summary ?? suggested?.Summary;
        doc.Priority = form.Priority ?? (doc.Priority == DocumentPriority.Normal ? suggested?.Priority ?? doc.Priority : doc.Priority);
    }

    private static void CheckFields(RegistrationForm form)
    {
        List<FieldError> errors = [];
        foreach (var (field, value, max) in new[] { ("senderName", form.SenderName, 300), ("number", form.Number, 20), ("notation", form.Notation, 100),
            ("documentType", form.DocumentType, 100), ("summary", form.Summary, 2000) })
        {
            if (value is null) continue;
            if (value.Trim().Length == 0 || value.Length > max) errors.Add(new FieldError(field, $"Từ 1 đến {max} ký tự.", $"1 to {max} characters."));
            else if (SafeText.Check(field, value) is { } unsafeText) errors.Add(unsafeText);
        }
        if (form.DocumentDate is not null && Days.Parse(form.DocumentDate) is null)
            errors.Add(new FieldError("documentDate", "Ngày văn bản theo dạng yyyy-MM-dd.", "The document's date is yyyy-MM-dd."));
        if (form.Priority is { } p && !DocumentPriority.IsValid(p)) errors.Add(new FieldError("priority", "Độ khẩn từ 0 đến 4.", "Priority is 0 to 4."));
        if (errors.Count > 0) throw InvalidFields(errors);
    }
}
