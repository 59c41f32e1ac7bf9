using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using MotCua.Domain.Documents;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Documents.Processing;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Observability;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Documents;

public sealed record AddedDocument(string DocumentId, string FileName, bool Duplicate, string Stage);

public sealed record UploadRequest(string? FileName, int? Component, long? Length, string? Sha256);

public sealed record UploadTicket(string DocumentId, bool Duplicate, string? UploadUrl, string Method, IReadOnlyDictionary<string, string> Headers,
    DateTimeOffset? ExpiresAt, long MaxBytes);

/// <summary>
/// Documents added to a dossier after submission (a supplement, a scan from the counter), through
/// the API or straight to blob storage with a short-lived write-only SAS that a confirmation checks.
/// The same bytes sent twice are recognised by their SHA-256 and give back the first document.
/// </summary>
public sealed class DocumentAdditions(
    MotCuaTables tables,
    BlobContainerClient documents,
    DocumentUploader uploader,
    DocumentListing listing,
    ProcedureCatalog catalog,
    BlobCreatedEvents blobEvents,
    OutboxDispatcher outbox,
    DocumentSteps steps,
    IOptions<DocumentOptions> options,
    TimeProvider time,
    ILogger<DocumentAdditions> logger)
{
    public const string AddedAction = DocumentListing.AddedAction;
    private static readonly TimeSpan UploadWindow = TimeSpan.FromMinutes(15);

    public async Task<IReadOnlyList<AddedDocument>> AddAsync(string code, HttpRequest request, CurrentUser user, CancellationToken cancellationToken)
    {
        var (dossier, procedure) = await OpenAsync(code, user, cancellationToken);
        var limits = options.Value;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            bodyLimit.MaxRequestBodySize = limits.MaxFileBytes * limits.MaxFilesPerSubmission + 1024 * 1024;
        var reader = new MultipartReader(MultipartParts.Boundary(request), request.Body) { BodyLengthLimit = null };

        var existing = await DocumentsAsync(dossier.DossierId, cancellationToken);
        if (existing.Count >= limits.MaxFilesPerDossier) throw TooManyDocuments(limits.MaxFilesPerDossier);
        var stored = await uploader.UploadPartsAsync(reader, dossier.DossierId, procedure.Components.Count, cancellationToken);
        if (existing.Count + stored.Count > limits.MaxFilesPerDossier)
        {
            await uploader.DeleteAsync(stored);
            throw TooManyDocuments(limits.MaxFilesPerDossier);
        }

        var results = new List<AddedDocument>();
        var fresh = new List<StoredDocument>();
        var seenAgain = new List<DocumentEntity>();
        foreach (var d in stored)
        {
            if (existing.FirstOrDefault(e => e.Sha256 == d.Sha256 && e.Stage != DocumentStages.AwaitingUpload) is { } same)
            {
                await uploader.DeleteAsync([d]);
                seenAgain.Add(same);
                results.Add(new AddedDocument(same.RowKey, same.FileName, Duplicate: true, same.Stage));
            }
            else if (fresh.FirstOrDefault(f => f.Sha256 == d.Sha256) is { } twin)
            {
                await uploader.DeleteAsync([d]);
                results.Add(new AddedDocument(twin.DocumentId, twin.FileName, Duplicate: true, DocumentStages.Stored));
            }
            else
            {
                fresh.Add(d);
                results.Add(new AddedDocument(d.DocumentId, d.FileName, Duplicate: false, DocumentStages.Stored));
            }
        }

        var now = time.GetUtcNow();
        if (fresh.Count > 0)
        {
            try
            {
                await tables.Documents.SubmitTransactionAsync(fresh.Select(d => new TableTransactionAction(TableTransactionActionType.Add,
                    DocumentParts.Row(d, dossier.DossierId, code, now))), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is >= 400 and < 500)
            {
                // Refused by storage, so no row names these blobs. When the answer is lost instead, the rows may
                // exist: the blobs stay for them, and the sweep lists the documents (UnlistedDocuments).
                await uploader.DeleteAsync(fresh);
                throw;
            }
        }
        // A file seen again may be one whose addition a crash interrupted: it is recorded now if it never was.
        var traceParent = Telemetry.CurrentTraceParent();
        await RecordAddedAsync(code, user,
            [.. fresh.Select(d => (d.DocumentId, d.FileName)), .. seenAgain.Select(d => (d.RowKey, d.FileName))],
            [.. blobEvents.OutboxFor(code, fresh, traceParent), .. seenAgain.Select(d => DocumentListing.StartMessage(code, d, traceParent))], cancellationToken);
        foreach (var same in seenAgain) await ResumeAsync(same, cancellationToken);
        return results;
    }

    public async Task<(UploadTicket Ticket, bool Created)> RequestUploadAsync(string code, UploadRequest form, CurrentUser user, CancellationToken cancellationToken)
    {
        var (dossier, procedure) = await OpenAsync(code, user, cancellationToken);
        var maxBytes = options.Value.MaxFileBytes;
        var errors = new List<FieldError>();
        if (!DocumentFileName.TryValidate(form.FileName, out var fileName)) errors.Add(new("fileName",
            "Tên tệp bắt buộc, tối đa 255 ký tự, không chứa đường dẫn, ngắt dòng, ký tự điều khiển hay ký tự ẩn (đổi hướng chữ, độ rộng bằng không, U+FFFE…).",
            "A file name is required, at most 255 characters, without paths, line breaks, control or invisible characters (bidirectional, zero-width, U+FFFE…)."));
        if (form.Length is not { } length || length < 1) errors.Add(new("length", "Kích thước tệp (byte) bắt buộc và lớn hơn 0.", "The file's length in bytes is required and above 0."));
        if (form.Sha256 is not { Length: 64 } sha || !sha.All(char.IsAsciiHexDigit)) errors.Add(new("sha256", "SHA-256 của tệp gồm 64 ký tự hex.", "The file's SHA-256 is 64 hex characters."));
        if (form.Component is { } c && (c < 1 || c > procedure.Components.Count)) throw UnknownComponent(c.ToString(System.Globalization.CultureInfo.InvariantCulture), procedure.Components.Count);
        if (errors.Count > 0) throw InvalidFields(errors);
        if (form.Length > maxBytes) throw FileTooLarge(maxBytes);
        var sha256 = form.Sha256!.ToLowerInvariant();

        var existing = await DocumentsAsync(dossier.DossierId, cancellationToken);
        if (existing.FirstOrDefault(e => e.Sha256 == sha256 && e.Stage != DocumentStages.AwaitingUpload) is { } same)
            return (new UploadTicket(same.RowKey, Duplicate: true, null, "PUT", new Dictionary<string, string>(), null, maxBytes), false);
        // Open tickets count too: each can become a document.
        if (existing.Count >= options.Value.MaxFilesPerDossier) throw TooManyDocuments(options.Value.MaxFilesPerDossier);

        var now = time.GetUtcNow();
        var documentId = Guid.CreateVersion7().ToString("N");
        var row = new DocumentEntity
        {
            PartitionKey = dossier.DossierId,
            RowKey = documentId,
            DossierCode = code,
            FileName = fileName,
            ContentType = "application/octet-stream",
            Length = 0,
            Sha256 = string.Empty,
            BlobName = $"{dossier.DossierId}/{documentId}",
            UploadedAt = now,
            Kind = string.Empty,
            Component = form.Component,
            Stage = DocumentStages.AwaitingUpload,
            ExpectedLength = form.Length,
            ExpectedSha256 = sha256,
            UploadExpiresAt = now + UploadWindow,
        };
        await tables.Documents.AddEntityAsync(row, cancellationToken);
        // Create and write only, and on the staging name: the document's own blob is out of the address's reach.
        var url = await SasUrlAsync(StagingName(row), BlobSasPermissions.Create | BlobSasPermissions.Write, row.UploadExpiresAt.Value, cancellationToken);
        return (new UploadTicket(documentId, Duplicate: false, url.ToString(), "PUT",
            new Dictionary<string, string> { ["x-ms-blob-type"] = "BlockBlob" }, row.UploadExpiresAt, maxBytes), true);
    }

    /// <summary>
    /// Takes a direct upload into the dossier. The upload address names a staging blob; the bytes are
    /// copied inside storage to the document's own blob, which no address ever names, and the length
    /// and SHA-256 are checked on that copy. Whatever is written to the address afterwards is never read.
    /// </summary>
    /// <remarks>
    /// Safe to repeat after a crash at any point: until the row says stored, a confirmation copies again.
    /// Every copy follows a claim on the row (an update under its ETag) and is conditioned on the
    /// document blob as it was before that claim, so a slower confirmation can neither record its copy
    /// nor overwrite a copy recorded after its claim.
    /// </remarks>
    public async Task<AddedDocument> ConfirmAsync(string code, string documentId, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!IsDocumentId(documentId)) throw DocumentNotFound(documentId);
        var (dossier, _) = await OpenAsync(code, user, cancellationToken);
        var row = await tables.Documents.GetEntityIfExistsAsync<DocumentEntity>(dossier.DossierId, documentId, cancellationToken: cancellationToken);
        if (!row.HasValue) throw DocumentNotFound(documentId);
        var document = row.Value!;
        if (document.Stage != DocumentStages.AwaitingUpload) return await ConfirmedBeforeAsync(code, document, user, cancellationToken);

        var staging = documents.GetBlobClient(StagingName(document));
        var stored = documents.GetBlobClient(document.BlobName);
        BlobProperties uploaded;
        try
        {
            uploaded = (await staging.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            if (time.GetUtcNow() > document.UploadExpiresAt) throw UploadExpired();
            throw UploadNotFinished("Chưa có tệp nào được tải lên địa chỉ này. / Nothing has been uploaded to this address yet.");
        }
        // The length is known without reading a byte: a wrong one is refused before any copying.
        if (uploaded.ContentLength != document.ExpectedLength)
        {
            await DeleteQuietlyAsync(staging, uploaded.ETag);
            throw Mismatch($"{uploaded.ContentLength} bytes, not {document.ExpectedLength}");
        }

        var before = await ETagIfExistsAsync(stored, cancellationToken);
        if (await SaveAsync(document, cancellationToken) is not { } claimed) return await RacedAsync(code, document, user, cancellationToken);
        document.ETag = claimed;
        ETag copied;
        try
        {
            var source = await SasUrlAsync(staging.Name, BlobSasPermissions.Read, time.GetUtcNow().AddMinutes(15), cancellationToken);
            var copy = await stored.StartCopyFromUriAsync(source, new BlobCopyFromUriOptions
            {
                SourceConditions = new BlobRequestConditions { IfMatch = uploaded.ETag },
                DestinationConditions = before is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            await copy.WaitForCompletionAsync(cancellationToken);
            var properties = (await stored.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            if (properties.CopyStatus != CopyStatus.Success) throw new RequestFailedException(409, $"The copy ended {properties.CopyStatus}.");
            copied = properties.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw UploadNotFinished("Tệp đang được ghi lại trong lúc kiểm tra; hãy xác nhận lại. / The file was replaced while it was being checked; confirm again.");
        }
        catch (Exception e) when (IsStorageHiccup(e, cancellationToken))
        {
            throw StorageBusy(e);
        }

        DocumentKind? kind;
        string sha256;
        long length;
        try
        {
            (kind, sha256, length) = await ReadBackAsync(stored, copied, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw UploadNotFinished("Tệp đang được ghi lại trong lúc kiểm tra; hãy xác nhận lại. / The file was replaced while it was being checked; confirm again.");
        }
        catch (Exception e) when (IsStorageHiccup(e, cancellationToken))
        {
            throw StorageBusy(e);
        }
        string? refusal = length != document.ExpectedLength ? $"{length} bytes, not {document.ExpectedLength}"
            : sha256 != document.ExpectedSha256 ? "its SHA-256 differs from the one announced" : null;
        if (refusal is not null || kind is null || !options.Value.Accepts(kind.Value))
        {
            // Removed (if still the bytes judged) so the app can upload again with the same ticket while it lasts.
            await DeleteQuietlyAsync(stored, copied);
            await DeleteQuietlyAsync(staging, uploaded.ETag);
            if (refusal is null) throw UnsupportedDocumentType(document.FileName);
            throw Mismatch(refusal);
        }

        // The same bytes may have arrived meanwhile by another ticket or by the API: the first document stands.
        var twin = (await DocumentsAsync(dossier.DossierId, cancellationToken))
            .FirstOrDefault(e => e.Sha256 == sha256 && e.RowKey != document.RowKey && e.Stage != DocumentStages.AwaitingUpload);
        if (twin is not null)
        {
            await DeleteQuietlyAsync(stored, copied);
            await DeleteQuietlyAsync(staging, uploaded.ETag);
            await tables.Documents.DeleteEntityAsync(document, document.ETag, CancellationToken.None);
            return new AddedDocument(twin.RowKey, twin.FileName, Duplicate: true, twin.Stage);
        }

        document.Kind = kind.Value.Slug();
        document.ContentType = kind.Value.ContentType();
        document.Length = length;
        document.Sha256 = sha256;
        document.BlobETag = copied.ToString();
        document.Stage = DocumentStages.Stored;
        document.StoredAt = time.GetUtcNow();
        if (await SaveAsync(document, cancellationToken) is null) return await RacedAsync(code, document, user, cancellationToken);
        await DeleteQuietlyAsync(staging, null);

        await RecordAddedAsync(code, user, [(document.RowKey, document.FileName)], [DocumentListing.StartMessage(code, document, Telemetry.CurrentTraceParent())], cancellationToken);
        return new AddedDocument(document.RowKey, document.FileName, Duplicate: false, document.Stage);
    }

    /// <summary>
    /// A copy or read-back that failed for a passing reason (a timeout, a copy still pending, storage
    /// unreachable). The row still says awaiting upload, so the next confirmation simply copies again.
    /// </summary>
    private static bool IsStorageHiccup(Exception e, CancellationToken cancellationToken) =>
        e is RequestFailedException or IOException or TimeoutException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private Problems.ProblemException StorageBusy(Exception e)
    {
        DocumentAdditionsLog.ConfirmCopyFailed(logger, e);
        return UploadNotFinished("Chưa sao chép xong tệp đã tải lên; hãy xác nhận lại sau ít giây. / The uploaded file could not be copied yet; confirm again in a few seconds.");
    }

    /// <summary>Where a direct upload's address writes: never read as the document, only copied from when it is confirmed.</summary>
    public static string StagingName(DocumentEntity document) => $"uploads/{document.BlobName}";

    private static Problems.ProblemException Mismatch(string refusal) =>
        UploadMismatch($"Tệp tải lên không khớp với thông tin đã khai: {refusal}.", $"The uploaded file does not match what was announced: {refusal}.");

    /// <summary>Saves the row under its ETag; null when another confirmation changed it first.</summary>
    private async Task<ETag?> SaveAsync(DocumentEntity document, CancellationToken cancellationToken)
    {
        try
        {
            return (await tables.Documents.UpdateEntityAsync(document, document.ETag, TableUpdateMode.Merge, cancellationToken)).Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    /// <summary>Another confirmation of the same ticket changed the row: it may have finished, or still be at work.</summary>
    private async Task<AddedDocument> RacedAsync(string code, DocumentEntity document, CurrentUser user, CancellationToken cancellationToken)
    {
        var current = (await tables.Documents.GetEntityAsync<DocumentEntity>(document.PartitionKey, document.RowKey, cancellationToken: cancellationToken)).Value;
        if (current.Stage != DocumentStages.AwaitingUpload) return await ConfirmedBeforeAsync(code, current, user, cancellationToken);
        throw UploadNotFinished("Tệp đang được xác nhận trong một yêu cầu khác; hãy xác nhận lại. / Another confirmation of this upload is under way; confirm again.");
    }

    private static async Task<ETag?> ETagIfExistsAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Best effort: a blob left behind is never read (staging) or is replaced by the next copy (refused bytes).</summary>
    private static async Task DeleteQuietlyAsync(BlobClient blob, ETag? etag)
    {
        try
        {
            await blob.DeleteIfExistsAsync(conditions: etag is { } e ? new BlobRequestConditions { IfMatch = e } : null, cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException)
        {
            // Changed since (a new upload to the staging address): it stays for the next confirmation to judge.
        }
    }

    /// <summary>A confirmation repeated (or raced): its addition is recorded if a crash had stopped that, and processing nudged.</summary>
    private async Task<AddedDocument> ConfirmedBeforeAsync(string code, DocumentEntity document, CurrentUser user, CancellationToken cancellationToken)
    {
        await DeleteQuietlyAsync(documents.GetBlobClient(StagingName(document)), null);
        await RecordAddedAsync(code, user, [(document.RowKey, document.FileName)], [DocumentListing.StartMessage(code, document, Telemetry.CurrentTraceParent())], cancellationToken);
        await ResumeAsync(document, cancellationToken);
        return new AddedDocument(document.RowKey, document.FileName, Duplicate: true, document.Stage);
    }

    public static bool IsDocumentId(string id) => id.Length is > 0 and <= 64 && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>Lists the documents on the dossier if they are not yet (<see cref="DocumentListing"/>), then sends the messages that start their processing.</summary>
    private async Task RecordAddedAsync(string code, CurrentUser user, IReadOnlyList<(string Id, string FileName)> added, IReadOnlyList<OutboxEntity> messages, CancellationToken cancellationToken)
    {
        if (added.Count == 0) return;
        var result = await listing.ListAsync(code, user.Id, causedBy: user.Id, added, messages, cancellationToken);
        try
        {
            if (result.Outbox is { } written) await outbox.DispatchAsync(code, written, result.PendingMark, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            OutboxLog.DispatchFailed(logger, code, e);
        }
    }

    /// <summary>A document seen again whose processing may never have started (a crash before its event): nudge it; the steps ignore repeats.</summary>
    private async Task ResumeAsync(DocumentEntity document, CancellationToken cancellationToken)
    {
        if (document.Stage == DocumentStages.Stored) await steps.SendAsync(DocumentQueues.Signatures, document, Telemetry.CurrentTraceParent(), cancellationToken);
    }

    private static async Task<(DocumentKind? Kind, string Sha256, long Length)> ReadBackAsync(BlobClient blob, ETag etag, CancellationToken cancellationToken)
    {
        await using var content = await blob.OpenReadAsync(new Azure.Storage.Blobs.Models.BlobOpenReadOptions(allowModifications: false)
        {
            BufferSize = 1024 * 1024,
            Conditions = new BlobRequestConditions { IfMatch = etag },
        }, cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        var head = new byte[DocumentKinds.SniffLength];
        var headLength = 0;
        // An office file's kind may show only in its central directory, at the end.
        var tail = new TailBytes(ZipContainer.TailLength);
        int read;
        long length = 0;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            length += read;
            if (headLength < head.Length)
            {
                var take = Math.Min(read, head.Length - headLength);
                buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                headLength += take;
            }
            hash.AppendData(buffer, 0, read);
            tail.Append(buffer.AsSpan(0, read));
        }
        return (DocumentKinds.SniffWhole(head.AsSpan(0, headLength), tail.ToArray(), length), Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    /// <summary>An address for this one blob with these permissions until it expires: with the account key, or a user delegation key under a managed identity.</summary>
    private async Task<Uri> SasUrlAsync(string blobName, BlobSasPermissions permissions, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        var blob = documents.GetBlobClient(blobName);
        var sas = new BlobSasBuilder(permissions, expiresOn)
        {
            BlobContainerName = documents.Name,
            BlobName = blobName,
            Resource = "b",
            StartsOn = time.GetUtcNow().AddMinutes(-5),
        };
        if (blob.CanGenerateSasUri) return blob.GenerateSasUri(sas);
        var service = documents.GetParentBlobServiceClient();
        var key = await service.GetUserDelegationKeyAsync(new Azure.Storage.Blobs.Models.BlobGetUserDelegationKeyOptions(expiresOn), cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, service.AccountName) }.ToUri();
    }

    private async Task<(DossierEntity Dossier, Procedure Procedure)> OpenAsync(string code, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        var found = await tables.Dossiers.GetEntityIfExistsAsync<DossierEntity>(code, DossierRows.Dossier, cancellationToken: cancellationToken);
        if (!found.HasValue) throw DossierNotFound(code);
        var dossier = found.Value!;
        DossierReader.EnsureMaySee(user, dossier);
        if (user.Role == Roles.Admin) throw Forbidden("Quản trị viên không bổ sung tài liệu cho hồ sơ.", "Administrators do not add documents to dossiers.");
        var status = (DossierStatus)dossier.Status;
        if (status is DossierStatus.RefusedAtIntake or DossierStatus.Withdrawn or DossierStatus.Stopped or DossierStatus.Returned) throw DossierClosed(status);
        var procedure = await catalog.FindVersionAsync(dossier.ProcedureCode, dossier.ProcedureVersion, cancellationToken)
            ?? throw UnknownProcedure(dossier.ProcedureCode);
        return (dossier, procedure);
    }

    private async Task<List<DocumentEntity>> DocumentsAsync(string dossierId, CancellationToken cancellationToken)
    {
        var list = new List<DocumentEntity>();
        await foreach (var d in tables.Documents.QueryAsync<DocumentEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {dossierId}"), cancellationToken: cancellationToken)) list.Add(d);
        return list;
    }
}

internal static partial class DocumentAdditionsLog
{
    [LoggerMessage(LogLevel.Warning, "Copying or reading back a direct upload failed; the confirmation can be repeated")]
    public static partial void ConfirmCopyFailed(ILogger logger, Exception exception);
}
