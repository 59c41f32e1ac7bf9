using Microsoft.Extensions.Options;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.Domain.Units;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Issuance;
using MotCua.Signing;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>
/// What the drafter says of a new document: its type (by name or abbreviation), summary and
/// recipients (agencies of the deployment, or outside agencies by identifier with their name), who
/// reviews and who signs, and optionally the incoming document it answers.
/// </summary>
public sealed record OutgoingForm(string DocumentType, string Summary, IReadOnlyList<RecipientForm> Recipients, string Signer, string? Reviewer = null,
    int Priority = DocumentPriority.Normal, bool LegalNormative = false, bool Secret = false, string? DueDate = null, string? AnswersIncomingId = null,
    IReadOnlyList<string>? OtherRecipients = null, string? Replaces = null);

public sealed record SubmissionForm(string? Comment = null);

/// <summary>
/// Drafting: a specialist (officer or head of a department) of the agency creates the draft, puts its
/// PDF in (again after a return: each replacement is a new revision) and sends it for review, or
/// straight to the signer when nobody reviews it.
/// </summary>
public sealed class OutgoingDrafting(OutgoingStore store, OutgoingAccess access, IOutsideAgencyNames outside, IncomingStore incoming, ResultFiles files, IOptions<ResultOptions> options,
    ResultStore checks, TimeProvider time)
{
    private const int MaxRecipients = 200;

    public async Task<OutgoingDocumentEntity> CreateAsync(string agency, OutgoingForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!AgencyCodes.IsValid(agency)) throw BadRequest("agency", "Mã cơ quan không hợp lệ.", "The agency's code is not valid.");
        await access.RequireMemberAsync(user, agency, cancellationToken);
        if (!(user.HasRole(Roles.Officer) || user.HasRole(Roles.DepartmentHead) || user.HasRole(Roles.Leader) || user.HasRole(Roles.DeputyLeader)))
            throw Forbidden("Chỉ chuyên viên, lãnh đạo phòng hoặc lãnh đạo cơ quan soạn văn bản đi.", "Only officers, department heads and leaders draft outgoing documents.");
        var type = await CheckAsync(agency, form, cancellationToken);
        var now = time.GetUtcNow();
        var id = OutgoingDocumentId.New(agency, VietnamTime.Today(now)).ToString();
        var d = new OutgoingDocumentEntity
        {
            PartitionKey = OutgoingRows.Partition(agency),
            RowKey = OutgoingRows.Document(id),
            Id = id,
            Agency = agency,
            Status = (int)OutgoingStatus.Draft,
            DocumentType = type.Name,
            LegalNormative = form.LegalNormative,
            Secret = form.Secret,
            Priority = form.Priority,
            Summary = form.Summary.Trim(),
            DueDate = form.DueDate,
            AnswersIncomingId = form.AnswersIncomingId,
            Replaces = form.Replaces,
            Recipients = OutgoingViewMapping.Serialize(await NamedAsync(form.Recipients, cancellationToken)),
            OtherRecipients = form.OtherRecipients is { Count: > 0 } lines ? OutgoingViewMapping.Serialize(lines.Select(l => l.Trim()).ToList()) : null,
            DraftedBy = user.Id,
            DraftedByName = user.Name,
            DraftingUnit = user.Unit ?? agency,
            DraftedAt = now,
            Reviewer = form.Reviewer,
            Signer = form.Signer,
            CheckId = form.Secret ? null : ResultStore.NewCheckId(),
        };
        // Indexed before the document exists: its QR code never points nowhere.
        if (d.CheckId is { } checkId) await checks.IndexCheckIdAsync(checkId, id, cancellationToken);
        await store.CreateAsync(d, user.Id, $"Dự thảo {type.Name.ToLowerInvariant()}: {(d.Secret ? "(mật)" : d.Summary)}", cancellationToken);
        return d;
    }

    public const int MaxAttachments = 10;

    /// <summary>Puts the draft's PDF in, or replaces it: the drafter, while nothing is signed. The file streams to storage; the row then names it.</summary>
    public Task<OutgoingDocumentEntity> PutDocumentAsync(OutgoingDocumentEntity d, int version, string? fileName, Stream body, long? declaredLength,
        CurrentUser user, CancellationToken cancellationToken) =>
        PutFileAsync(d, version, fileName, "van-ban.pdf", body, declaredLength, user, revision => OutgoingFiles.Draft(d.Id, revision), (row, file) =>
        {
            row.DraftBlob = file.Blob;
            row.DraftSha256 = file.Sha256;
            row.DraftLength = file.Length;
            row.FileName = file.FileName;
            return $"Tệp dự thảo lần {row.Revision}: {file.FileName}.";
        }, cancellationToken);

    /// <summary>Adds attachment <paramref name="number"/> (the next one) or replaces it, as the document's file is put in.</summary>
    public Task<OutgoingDocumentEntity> PutAttachmentAsync(OutgoingDocumentEntity d, int version, int number, string? fileName, Stream body, long? declaredLength,
        CurrentUser user, CancellationToken cancellationToken)
    {
        var count = OutgoingViewMapping.Attachments(d.Attachments).Count;
        if (number < 1 || number > Math.Min(count + 1, MaxAttachments))
            throw BadRequest("number", $"Phụ lục đánh số từ 1 đến {Math.Min(count + 1, MaxAttachments)} (tối đa {MaxAttachments}).",
                $"Attachments are numbered 1 to {Math.Min(count + 1, MaxAttachments)} (at most {MaxAttachments}).");
        return PutFileAsync(d, version, fileName, $"phu-luc-{number}.pdf", body, declaredLength, user, revision => OutgoingFiles.Attachment(d.Id, revision, number), (row, file) =>
        {
            var attachments = OutgoingViewMapping.Attachments(row.Attachments).ToList();
            if (number > attachments.Count + 1) throw OutgoingProblems.StepNotAllowed(row.State, "thêm phụ lục này", "given this attachment");
            if (number == attachments.Count + 1) attachments.Add(file);
            else attachments[number - 1] = file;
            row.Attachments = OutgoingViewMapping.Serialize(attachments);
            return $"Phụ lục {number} lần {row.Revision}: {file.FileName}.";
        }, cancellationToken);
    }

    private async Task<OutgoingDocumentEntity> PutFileAsync(OutgoingDocumentEntity d, int version, string? fileName, string defaultName, Stream body, long? declaredLength,
        CurrentUser user, Func<int, string> blobNameOf, Func<OutgoingDocumentEntity, OutgoingAttachment, string> record, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(fileName) ? defaultName : fileName.Trim();
        if (SafeText.Check("fileName", name) is { } unsafeName) throw InvalidFields([unsafeName]);
        if (name.Length > 200 || !name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) throw BadFileName();
        if (declaredLength > options.Value.MaxFileBytes) throw FileTooLarge(options.Value.MaxFileBytes);
        if (user.Id != d.DraftedBy) throw Forbidden("Chỉ người soạn thảo thay tệp dự thảo.", "Only the drafter replaces the draft's files.");
        if (!d.State.IsEditable()) throw OutgoingProblems.StepNotAllowed(d.State, "thay tệp dự thảo", "given a new file");

        // Every file put in is a new revision: a signature prepared before it no longer matches.
        var revision = d.Revision + 1;
        var blobName = blobNameOf(revision);
        var blob = await files.BlobAsync(blobName, cancellationToken);
        var (length, sha256) = await ResultAttachment.UploadAsync(blob, body, options.Value.MaxFileBytes, cancellationToken);
        try
        {
            await EnsureSignableAsync(blobName, cancellationToken);
            var file = new OutgoingAttachment(name, blobName, length, sha256);
            return await store.ApplyAsync(d, version, (row, _) =>
            {
                if (!row.State.IsEditable()) throw OutgoingProblems.StepNotAllowed(row.State, "thay tệp dự thảo", "given a new file");
                row.Revision = revision;
                var comment = record(row, file);
                return ValueTask.FromResult(new OutgoingChange(row.State, "document-replaced", comment, new { revision, sha256, length }));
            }, user.Id, cancellationToken);
        }
        catch
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }
    }

    public Task<OutgoingDocumentEntity> SubmitAsync(OutgoingDocumentEntity d, int version, SubmissionForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        if (user.Id != d.DraftedBy) throw Forbidden("Chỉ người soạn thảo trình văn bản.", "Only the drafter submits the draft.");
        if (SafeText.Check("comment", form.Comment) is { } unsafeComment) throw InvalidFields([unsafeComment]);
        if (form.Comment?.Length > 2000) throw BadRequest("comment", "Tối đa 2000 ký tự.", "At most 2000 characters.");
        return store.ApplyAsync(d, version, (row, _) =>
        {
            if (!row.State.IsEditable()) throw OutgoingProblems.StepNotAllowed(row.State, "trình", "submitted");
            if (row.DraftBlob is null) throw BadRequest("document", "Dự thảo chưa có tệp PDF: gửi tệp trước khi trình.", "The draft has no PDF yet: put the file in before submitting.");
            var to = row.Reviewer is not null || (IsDepartmentDraft(row) && !user.HasRole(Roles.DepartmentHead)) ? OutgoingStatus.InReview : OutgoingStatus.AwaitingSignature;
            row.LastComment = form.Comment?.Trim();
            return ValueTask.FromResult(new OutgoingChange(to, "submitted", form.Comment?.Trim() ?? (to == OutgoingStatus.InReview ? "Trình duyệt." : "Trình ký.")));
        }, user.Id, cancellationToken);
    }

    private static bool IsDepartmentDraft(OutgoingDocumentEntity d) => d.DraftingUnit != d.Agency;

    private async Task EnsureSignableAsync(string blobName, CancellationToken cancellationToken)
    {
        await using var stream = await files.OpenReadAsync(blobName, cancellationToken);
        var head = new byte[5];
        if (await stream.ReadAtLeastAsync(head, 5, throwOnEndOfStream: false, cancellationToken) < 5 || !head.AsSpan().SequenceEqual("%PDF-"u8))
            throw OutgoingProblems.NotSignable("it is not a PDF");
        try
        {
            stream.Position = 0;
            PdfSigner.EnsureSignable(stream);
        }
        catch (PdfSigningException e)
        {
            throw OutgoingProblems.NotSignable(e.Message);
        }
    }

    /// <summary>The recipients, once each, an outside agency named as the exchange's list names it when the form does not.</summary>
    private async Task<List<RecipientForm>> NamedAsync(IReadOnlyList<RecipientForm> recipients, CancellationToken cancellationToken)
    {
        List<RecipientForm> named = [];
        foreach (var r in recipients.DistinctBy(r => r.Agency))
            named.Add(new RecipientForm(r.Agency, r.Name?.Trim() is { Length: > 0 } name ? name
                : await access.AgencyExistsAsync(r.Agency, cancellationToken) ? null : await outside.NameAsync(r.Agency, cancellationToken)));
        return named;
    }

    private async Task<LetterType> CheckAsync(string agency, OutgoingForm form, CancellationToken cancellationToken)
    {
        List<FieldError> errors = [];
        var type = LetterTypes.All.FirstOrDefault(t => string.Equals(t.Name, form.DocumentType?.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? (form.DocumentType is { } code ? LetterTypes.ByAbbreviation(code.Trim()) : null);
        if (type is null) errors.Add(new FieldError("documentType", "Tên loại văn bản không có trong danh mục (Nghị định 30/2020, Phụ lục III).",
            "The document type is not one of Decree 30/2020's types (Appendix III)."));
        if (string.IsNullOrWhiteSpace(form.Summary) || form.Summary.Length > 2000) errors.Add(new FieldError("summary", "Cần trích yếu nội dung (tối đa 2000 ký tự).", "A summary of at most 2000 characters is required."));
        if (string.IsNullOrWhiteSpace(form.Signer) || form.Signer.Length > 64) errors.Add(new FieldError("signer", "Cần người ký.", "The signer is required."));
        if (form.Reviewer is { Length: 0 or > 64 }) errors.Add(new FieldError("reviewer", "Mã người duyệt không hợp lệ.", "The reviewer's id is not valid."));
        if (!DocumentPriority.IsValid(form.Priority)) errors.Add(new FieldError("priority", "Độ khẩn từ 0 đến 4.", "Priority is 0 to 4."));
        if (form.DueDate is not null && Days.Parse(form.DueDate) is null) errors.Add(new FieldError("dueDate", "Hạn trả lời theo dạng yyyy-MM-dd.", "The due date is yyyy-MM-dd."));
        if (form.LegalNormative && type is { Abbreviation: null }) errors.Add(new FieldError("legalNormative", "Công văn không phải văn bản quy phạm pháp luật.", "An official letter is not a legal normative document."));
        var recipients = form.Recipients ?? [];
        if (recipients.Count > MaxRecipients) errors.Add(new FieldError("recipients", $"Tối đa {MaxRecipients} nơi nhận.", $"At most {MaxRecipients} recipients."));
        for (var i = 0; i < Math.Min(recipients.Count, MaxRecipients); i++)
        {
            var r = recipients[i];
            if (r is null || !AgencyCodes.IsValid(r.Agency)) errors.Add(new FieldError($"recipients[{i}].agency", "Mã định danh cơ quan nhận không hợp lệ.", "The recipient's identifier is not valid."));
            else if (r.Agency == agency) errors.Add(new FieldError($"recipients[{i}].agency", "Không gửi văn bản cho chính cơ quan mình.", "A document is not sent to its own agency."));
            else if (!await access.AgencyExistsAsync(r.Agency, cancellationToken) && string.IsNullOrWhiteSpace(r.Name) && await outside.NameAsync(r.Agency, cancellationToken) is null)
                errors.Add(new FieldError($"recipients[{i}].name", "Cơ quan ngoài hệ thống cần có tên (không có trong danh sách cơ quan của trục liên thông).",
                    "An agency outside this system needs its name (the exchange's agency list does not have it)."));
            if (r is not null && (r.Name?.Length > 300 || SafeText.Check($"recipients[{i}].name", r.Name) is not null))
                errors.Add(new FieldError($"recipients[{i}].name", "Tên cơ quan nhận không hợp lệ.", "The recipient's name is not valid."));
        }
        var lines = form.OtherRecipients ?? [];
        if (lines.Count > 20 || lines.Any(l => string.IsNullOrWhiteSpace(l) || l.Length > 300))
            errors.Add(new FieldError("otherRecipients", "Tối đa 20 dòng nơi nhận, mỗi dòng tối đa 300 ký tự.", "At most 20 lines of other recipients, each of at most 300 characters."));
        foreach (var (field, value) in new (string, string?)[] { ("summary", form.Summary), ("signer", form.Signer), ("reviewer", form.Reviewer) }
            .Concat(lines.Select((l, i) => ($"otherRecipients[{i}]", (string?)l))))
        {
            if (SafeText.Check(field, value) is { } unsafeText) errors.Add(unsafeText);
        }
        if (form.Secret && recipients.Count > 0 && errors.Count == 0)
        {
            foreach (var r in recipients)
                if (await access.AgencyExistsAsync(r.Agency, cancellationToken))
                    errors.Add(new FieldError("recipients", "Văn bản mật không gửi qua hệ thống: ghi nơi nhận vào otherRecipients và gửi bản giấy.",
                        "A secret document is not sent through the system: list its recipients in otherRecipients and send it on paper."));
        }
        if (form.AnswersIncomingId is { } answers)
        {
            if (!IncomingDocumentId.TryParse(answers, out var incomingId) || incomingId.Value.Agency != agency || await incoming.FindAsync(incomingId.Value, cancellationToken) is null)
                errors.Add(new FieldError("answersIncomingId", "Không có văn bản đến này ở cơ quan.", "The agency has no such incoming document."));
        }
        if (form.Replaces is { } replaces)
        {
            if (!OutgoingDocumentId.TryParse(replaces, out var replacedId) || replacedId.Value.Agency != agency
                || await store.FindAsync(replacedId.Value, cancellationToken) is not { State: OutgoingStatus.Issued, ReplacedBy: null })
                errors.Add(new FieldError("replaces", "Chỉ thay thế được văn bản đã ban hành, chưa thu hồi, của cơ quan.", "Only an issued, not recalled document of the agency can be replaced."));
        }
        if (errors.Count > 0) throw InvalidFields([.. errors.DistinctBy(e => e.Field)]);
        return type!;
    }
}

/// <summary>Where an outgoing document's files live, in the container of signed documents beside the one-stop results.</summary>
public static class OutgoingFiles
{
    public static string Draft(string id, int revision) => $"outgoing/{id}/{revision}/draft.pdf";

    public static string Attachment(string id, int revision, int number) => $"outgoing/{id}/{revision}/attachment-{number}.pdf";

    public static string IssuedAttachment(string id, int number) => $"outgoing/{id}/issued-attachment-{number}-{Attempt()}.pdf";

    public static string PersonSigned(string id, int revision, string preparationId) => $"outgoing/{id}/{revision}/signed-{preparationId}-{Attempt()}.pdf";

    public static string Issued(string id) => $"outgoing/{id}/issued-{Attempt()}.pdf";

    public static string Preparation(string id, string preparationId) => $"outgoing/{id}/prepared/{preparationId}.json";

    private static string Attempt() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
}
