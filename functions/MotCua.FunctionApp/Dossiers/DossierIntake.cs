using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using MotCua.Domain.Documents;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.Domain.Units;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Observability;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>
/// Takes a dossier in: checks the 'dossier' part before any file is stored, streams each file to
/// blob storage, then writes in an order that a crash cannot turn into a loss: blobs, document
/// rows, the pending-outbox mark, and one batch with the dossier, its first history entry and its
/// outbox. A refused submission leaves nothing behind.
/// </summary>
public sealed class DossierIntake(
    ProcedureCatalog catalog,
    DocumentUploader uploader,
    DossierCodeAllocator codes,
    DossierStore dossiers,
    MotCuaTables tables,
    BlobCreatedEvents blobEvents,
    OutboxDispatcher outbox,
    SubmissionKeys keys,
    IOptions<DocumentOptions> documentOptions,
    TimeProvider time,
    ILogger<DossierIntake> logger)
{
    private const int MaxDossierPartBytes = 64 * 1024;

    /// <param name="claim">The Idempotency-Key's claim, if the request has one: the dossier's code is recorded against it before the dossier is written.</param>
    public async Task<SubmittedDossier> SubmitAsync(HttpRequest request, CurrentUser user, SubmissionClaim? claim, CancellationToken cancellationToken)
    {
        var limits = documentOptions.Value;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limits.MaxFileBytes * limits.MaxFilesPerSubmission + MaxDossierPartBytes + 1024 * 1024;
        }
        var reader = new MultipartReader(MultipartParts.Boundary(request), request.Body) { BodyLengthLimit = null };

        var first = await MultipartParts.NextSectionAsync(reader, cancellationToken);
        if (first is null || MultipartParts.PartName(first) != "dossier") throw DossierPartFirst();
        var form = await ReadFormAsync(first, cancellationToken);
        var (procedure, applicant, channel) = await CheckAsync(form, user, cancellationToken);
        if (claim?.ReservedCode is { } reserved && DossierCode.TryParse(reserved, out var held) && held.Value.AgencyCode != form.ReceivingUnit)
            throw SubmissionKeys.ReusedForAnotherUnit(reserved);

        var dossierId = Guid.CreateVersion7().ToString("N");
        var stored = await uploader.UploadPartsAsync(reader, dossierId, procedure.Components.Count, cancellationToken);

        var now = time.GetUtcNow();
        string code;
        try
        {
            code = claim?.ReservedCode ?? (await codes.NextAsync(form.ReceivingUnit, VietnamTime.Today(now), cancellationToken)).ToString();
            if (claim is not null) await keys.ReserveAsync(claim, code, cancellationToken);
            await tables.Documents.SubmitTransactionAsync(stored.Select(d => new TableTransactionAction(TableTransactionActionType.Add,
                DocumentParts.Row(d, dossierId, code, now))), cancellationToken);
        }
        catch
        {
            // Nothing points at the stored files yet: remove them rather than leave orphans.
            await uploader.DeleteAsync(stored);
            throw;
        }

        var dossier = new DossierEntity
        {
            PartitionKey = code,
            DossierId = dossierId,
            ProcedureCode = procedure.Code,
            ProcedureVersion = procedure.Version,
            ProcedureName = procedure.Name,
            ReceivingUnit = form.ReceivingUnit,
            Channel = channel,
            SubmittedBy = user.Id,
            OwnerId = channel == "online" ? user.Id : string.Empty,
            HolderUnit = form.ReceivingUnit,
            LookupPin = Lookup.LookupPins.New(),
            SubmittedAt = now,
            UpdatedAt = now,
            Status = (int)DossierStatus.Receiving,
            DocumentCount = stored.Count,
            DocumentIds = string.Join(' ', stored.Select(d => d.DocumentId)),
            ApplicantName = applicant.FullName,
            ApplicantNameFolded = VietnameseText.Fold(applicant.FullName),
            ApplicantIdNumber = applicant.IdNumber,
            ApplicantPhone = applicant.Phone,
            ApplicantEmail = applicant.Email,
            ApplicantAddress = applicant.Address,
        };
        var traceParent = Telemetry.CurrentTraceParent();
        List<OutboxEntity> messages =
        [
            OutboxEntity.Create(code, QueueNames.DocumentReceived, DocumentReceivedMessage.Subject,
                BinaryData.FromObjectAsJson(new DocumentReceivedMessage(code, stored.Count), JsonSerializerOptions.Web), traceParent),
            .. blobEvents.OutboxFor(code, stored, traceParent),
        ];
        var created = new StatusChange(DossierStatus.Receiving, DossierStatus.Receiving, HistoryActionNames.Submitted,
            $"Nộp hồ sơ qua kênh {channel} với {stored.Count} tài liệu.");
        IReadOnlyList<OutboxEntity> written;
        Azure.ETag? pendingMark;
        try
        {
            (written, pendingMark) = await dossiers.CreateAsync(dossier, created, user.Id, messages, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && claim is not null)
        {
            // An attempt with the same key, taken over after it stalled, wrote this code first: keep its dossier only.
            await tables.Documents.SubmitTransactionAsync(stored.Select(d => new TableTransactionAction(TableTransactionActionType.Delete,
                DocumentParts.Row(d, dossierId, code, now), Azure.ETag.All)), CancellationToken.None);
            await uploader.DeleteAsync(stored);
            throw SubmissionKeys.InProgress();
        }
        DossierLog.Submitted(logger, code, procedure.Code, stored.Count);

        try
        {
            await outbox.DispatchAsync(code, written, pendingMark, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The dossier is safe; the outbox sweep sends what this could not.
            OutboxLog.DispatchFailed(logger, code, e);
        }
        return new SubmittedDossier(code, dossier.LookupPin, StatusView.Of(DossierStatus.Receiving), stored.Count, now);
    }

    private async Task<(Procedure Procedure, Applicant Applicant, string Channel)> CheckAsync(DossierForm form, CurrentUser user, CancellationToken cancellationToken)
    {
        var errors = form.Applicant.ToApplicant().Validate().ToList();
        if (!ProcedureCatalog.IsValidCode(form.ProcedureCode)) errors.Add(ProcedureCatalog.CodeError("procedureCode"));
        if (!AgencyCodes.IsValid(form.ReceivingUnit))
            errors.Add(new("receivingUnit", "Mã đơn vị tối đa 13 ký tự chữ, số hoặc dấu chấm.", "A unit code has at most 13 letters, digits or dots."));
        if (errors.Count > 0) throw InvalidFields(errors);

        var channel = user.Role switch
        {
            Roles.Citizen => "online",
            Roles.Clerk when user.Unit == form.ReceivingUnit => "counter",
            Roles.Clerk => throw Forbidden("Cán bộ một cửa chỉ tiếp nhận hồ sơ cho đơn vị của mình.", "A clerk receives dossiers only for their own unit."),
            _ => throw Forbidden("Chỉ công dân hoặc cán bộ một cửa được nộp hồ sơ.", "Only citizens and one-stop clerks submit dossiers."),
        };

        var procedure = await catalog.FindProcedureAsync(form.ProcedureCode, cancellationToken) ?? throw UnknownProcedure(form.ProcedureCode);
        if (!procedure.ReceivingUnits.Contains(form.ReceivingUnit)) throw UnitNotReceiving(form.ReceivingUnit, procedure.Code);
        return (procedure, form.Applicant.ToApplicant().Normalized(), channel);
    }

    private static async Task<DossierForm> ReadFormAsync(MultipartSection section, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDossierPartBytes + 1];
        var length = await section.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (length > MaxDossierPartBytes) throw MalformedJson($"The 'dossier' part is over {MaxDossierPartBytes} bytes.");
        try
        {
            return JsonSerializer.Deserialize<DossierForm>(buffer.AsSpan(0, length), DossierFormJson.Options)
                ?? throw MalformedJson("The 'dossier' part is null.");
        }
        catch (JsonException e)
        {
            throw UnreadableJson(e);
        }
    }
}

internal static partial class DossierLog
{
    [LoggerMessage(1, LogLevel.Information, "Dossier {DossierCode} submitted for procedure {ProcedureCode} with {DocumentCount} documents")]
    public static partial void Submitted(ILogger logger, string dossierCode, string procedureCode, int documentCount);

    [LoggerMessage(2, LogLevel.Information, "Dossier {DossierCode}: {Action} {Outcome} (message {MessageId})")]
    public static partial void StepHandled(ILogger logger, string dossierCode, string action, ChangeOutcome outcome, string messageId);

    [LoggerMessage(3, LogLevel.Information, "Document {DocumentId} of dossier {DossierId} stored ({Length} bytes)")]
    public static partial void DocumentStored(ILogger logger, string dossierId, string documentId, long length);
}
