using Azure.Data.Tables;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.Domain.Units;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Observability;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>
/// What a document says of itself when it arrives: required in full for an electronic one (its
/// sender's system knows it), optional for a paper scan (the first page suggests it, the records
/// clerk confirms it at registration). A secret document carries these only, never files.
/// </summary>
public sealed record IncomingForm(string? SenderId = null, string? SenderName = null, string? Number = null, string? Notation = null,
    string? DocumentDate = null, string? DocumentType = null, string? Summary = null, int Priority = DocumentPriority.Normal, bool Secret = false);

public sealed record ArrivedDocument(string Id, string Status, int FileCount, DateTimeOffset ArrivedAt);

/// <summary>
/// Takes an incoming document in: an electronic one from another agency's system, or the scan of a
/// paper one from the records clerk. The form is checked before any file is stored; files stream to
/// blob storage and their rows are written before the document's batch, so a crash leaves at worst
/// files no document names (removed on refusal), never a document without its files. The files then
/// go through the same signature check and text reading as dossier documents.
/// </summary>
public sealed class IncomingReceipt(IncomingStore store, IncomingAccess access, DocumentUploader uploader, MotCuaTables tables, BlobCreatedEvents blobEvents,
    IOptions<DocumentOptions> documentOptions, TimeProvider time)
{
    private const int MaxFormBytes = 16 * 1024;

    public async Task<ArrivedDocument> ReceiveAsync(HttpRequest request, string agency, CurrentUser user, bool electronic, CancellationToken cancellationToken)
    {
        if (!AgencyCodes.IsValid(agency)) throw BadRequest("agency", "Mã cơ quan nhận không hợp lệ.", "The receiving agency's code is not valid.");
        var callerAgency = await access.AgencyOfAsync(user, cancellationToken);
        if (electronic ? !(user.HasRole(Roles.RecordsClerk) || user.Role == Roles.Admin) : !(user.HasRole(Roles.RecordsClerk) && callerAgency == agency))
            throw Forbidden("Chỉ văn thư của cơ quan nhận văn bản đến.", "Only the agency's records clerk takes in incoming documents.");
        if (!await access.AgencyExistsAsync(agency, cancellationToken)) throw UnknownUnit(agency);
        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true) throw NotMultipart();

        var limits = documentOptions.Value;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = limits.MaxFileBytes * limits.MaxFilesPerSubmission + MaxFormBytes + 1024 * 1024;
        var reader = new MultipartReader(MultipartParts.Boundary(request), request.Body) { BodyLengthLimit = null };
        var first = await MultipartParts.NextSectionAsync(reader, cancellationToken);
        if (first is null || MultipartParts.PartName(first) != "incoming")
            throw MalformedRequest("The first part must be the JSON 'incoming' part. / Phần đầu tiên phải là phần JSON 'incoming'.");
        var form = await ReadFormAsync(first, cancellationToken);
        Check(form, electronic, user.Role == Roles.Admin ? null : callerAgency);

        var now = time.GetUtcNow();
        var id = IncomingDocumentId.New(agency, VietnamTime.Today(now)).ToString();
        var filesOwner = Guid.CreateVersion7().ToString("N");
        List<StoredDocument> stored = [];
        if (form.Secret)
        {
            if (await MultipartParts.NextSectionAsync(reader, cancellationToken) is not null) throw IncomingProblems.SecretContent();
        }
        else
        {
            stored = await uploader.UploadPartsAsync(reader, filesOwner, 0, cancellationToken);
        }

        var sourceId = electronic ? new QcvnDocumentId(form.SenderId!, DateOnly.Parse(form.DocumentDate!, System.Globalization.CultureInfo.InvariantCulture),
            form.Number!, form.Notation!).ToString() : null;
        var d = new IncomingDocumentEntity
        {
            PartitionKey = IncomingRows.Partition(agency),
            RowKey = IncomingRows.Document(id),
            Id = id,
            Agency = agency,
            Status = (int)IncomingStatus.Arrived,
            Channel = electronic ? "electronic" : "paper",
            Secret = form.Secret,
            Priority = form.Priority,
            ArrivedAt = now,
            ArrivedBy = user.Id,
            SenderId = form.SenderId,
            SenderName = form.SenderName?.Trim(),
            Number = form.Number?.Trim(),
            Notation = form.Notation?.Trim(),
            DocumentDate = form.DocumentDate,
            DocumentType = form.DocumentType?.Trim(),
            Summary = form.Summary?.Trim(),
            SourceDocumentId = sourceId,
            FileCount = stored.Count,
            FilesOwner = stored.Count == 0 ? null : filesOwner,
        };
        try
        {
            if (stored.Count > 0)
                await tables.Documents.SubmitTransactionAsync(stored.Select(s => new TableTransactionAction(TableTransactionActionType.Add,
                    DocumentParts.Row(s, filesOwner, id, now))), cancellationToken);
            ITableEntity[] marker = sourceId is null ? [] : [new TableEntity(d.PartitionKey, IncomingRows.Source(sourceId)) { ["DocumentId"] = id }];
            var comment = electronic
                ? $"Văn bản điện tử {form.Number}/{form.Notation} của {form.SenderName} đến, {stored.Count} tệp."
                : form.Secret ? "Văn bản mật (giấy) đến: chỉ vào sổ thông tin." : $"Văn bản giấy đến, bản quét {stored.Count} tệp.";
            var traceParent = Telemetry.CurrentTraceParent();
            await store.CreateAsync(d, user.Id, comment, marker, [.. blobEvents.OutboxFor(id, stored, traceParent).Select(o => Retarget(o, d.PartitionKey))],
                cancellationToken);
        }
        catch (Exception e)
        {
            await tables.Documents.SubmitTransactionAsync(stored.Select(s => new TableTransactionAction(TableTransactionActionType.Delete,
                DocumentParts.Row(s, filesOwner, id, now), Azure.ETag.All)), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            await uploader.DeleteAsync(stored);
            if (e is TableTransactionFailedException { Status: 409 } && sourceId is not null) throw IncomingProblems.AlreadyReceived(sourceId);
            throw;
        }
        return new ArrivedDocument(id, IncomingStatus.Arrived.Code(), stored.Count, now);
    }

    /// <summary>The blob-created messages travel in the document's batch, in the agency's partition.</summary>
    private static Outbox.OutboxEntity Retarget(Outbox.OutboxEntity message, string partition)
    {
        message.PartitionKey = partition;
        return message;
    }

    private static void Check(IncomingForm form, bool electronic, string? callerAgency)
    {
        List<FieldError> errors = [];
        void Require(string field, string? value, int max, string vi, string en)
        {
            if (string.IsNullOrWhiteSpace(value)) errors.Add(new FieldError(field, vi, en));
            else if (value.Length > max) errors.Add(new FieldError(field, $"Tối đa {max} ký tự.", $"At most {max} characters."));
        }
        if (electronic)
        {
            if (form.Secret) throw IncomingProblems.SecretContent();
            if (!AgencyCodes.IsValid(form.SenderId)) errors.Add(new FieldError("senderId", "Mã định danh cơ quan gửi không hợp lệ.", "The sender's agency identifier is not valid."));
            else if (callerAgency is not null && form.SenderId != callerAgency)
                throw Forbidden("Văn thư chỉ gửi văn bản của cơ quan mình.", "A records clerk sends only their own agency's documents.");
            Require("senderName", form.SenderName, 300, "Cần tên cơ quan gửi.", "The sender's name is required.");
            Require("number", form.Number, 20, "Cần số văn bản.", "The document's number is required.");
            Require("notation", form.Notation, 100, "Cần ký hiệu văn bản.", "The document's notation is required.");
            Require("documentType", form.DocumentType, 100, "Cần tên loại văn bản.", "The document's type is required.");
            Require("summary", form.Summary, 2000, "Cần trích yếu nội dung.", "The summary is required.");
            if (form.Number is { } number && !number.All(char.IsAsciiDigit)) errors.Add(new FieldError("number", "Số văn bản chỉ gồm chữ số.", "A document number has digits only."));
            if (form.Notation?.Contains(',') == true) errors.Add(new FieldError("notation", "Ký hiệu không chứa dấu phẩy.", "A notation has no comma."));
        }
        if (form.DocumentDate is not null || electronic)
        {
            if (Days.Parse(form.DocumentDate) is null) errors.Add(new FieldError("documentDate", "Ngày văn bản theo dạng yyyy-MM-dd.", "The document's date is yyyy-MM-dd."));
        }
        if (!DocumentPriority.IsValid(form.Priority)) errors.Add(new FieldError("priority", "Độ khẩn từ 0 đến 4.", "Priority is 0 to 4."));
        foreach (var (field, value) in new[] { ("senderName", form.SenderName), ("number", form.Number), ("notation", form.Notation),
            ("documentType", form.DocumentType), ("summary", form.Summary), ("senderId", form.SenderId) })
        {
            if (value is not null && value.Length > 2000) errors.Add(new FieldError(field, "Quá dài.", "Too long."));
            else if (SafeText.Check(field, value) is { } unsafeText) errors.Add(unsafeText);
        }
        if (errors.Count > 0) throw InvalidFields(errors);
    }

    private static async Task<IncomingForm> ReadFormAsync(MultipartSection section, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFormBytes + 1];
        var length = await section.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (length > MaxFormBytes) throw BodyTooLarge(MaxFormBytes);
        return JsonBody.Parse<IncomingForm>(buffer.AsSpan(0, length)) ?? throw BodyRequired();
    }
}
