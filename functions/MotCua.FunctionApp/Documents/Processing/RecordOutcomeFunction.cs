using System.Text.Json;
using Azure.Data.Tables;
using MotCua.Domain.Documents;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Outbox;

namespace MotCua.FunctionApp.Documents.Processing;

/// <summary>What the dossier's history keeps of one document's processing.</summary>
public sealed record DocumentOutcome(string DocumentId, string FileName, int? Component, string Kind, string? SignatureVerdict,
    int? Pages, int? OcrPages, double? OcrConfidence, string? Failure, IReadOnlyList<int> UnsignedComponents);

/// <summary>
/// Last step: the outcome goes into the dossier's history with a domain event, and the dossier
/// shows which components lack the valid signature their procedure requires. The dossier row lists
/// the documents already recorded, in the same batch, so a second delivery records nothing.
/// </summary>
public sealed class RecordOutcomeFunction(DocumentSteps steps, DossierStore dossiers, ProcedureCatalog catalog, OutboxDispatcher outbox,
    Correspondence.Incoming.IncomingFileOutcomes incoming, ILogger<RecordOutcomeFunction> logger) : IQueueHandler<DocumentStepMessage>
{
    public const string Action = "document-checked";

    public static readonly FunctionDeclaration Declaration = new("RecordDocumentOutcome", new QueueTrigger(DocumentQueues.Outcome));

    public async Task HandleAsync(QueueMessage<DocumentStepMessage> message, CancellationToken cancellationToken)
    {
        var document = await steps.ReadAsync(message, cancellationToken);
        if (document is null || !DocumentStages.Reached(document.Stage, DocumentStages.Indexed))
        {
            // Gone, or not yet here: whatever brings the document to this step sends its message again.
            DocumentLog.NotAtStep(logger, Declaration.Name, message.Body.DocumentId);
            return;
        }

        if (Correspondence.Incoming.IncomingFileOutcomes.Owns(document.DossierCode))
        {
            await incoming.RecordAsync(document, cancellationToken);
            await MarkRecordedAsync(document, cancellationToken);
            return;
        }

        var result = await dossiers.ApplyAsync(document.DossierCode, expectedVersion: null, async (dossier, ct) =>
        {
            if (dossier.DocumentsRecorded.Split(' ').Contains(document.RowKey)) return null;
            var unsigned = await UnsignedComponentsAsync(dossier, document, ct);
            dossier.DocumentsRecorded = $"{dossier.DocumentsRecorded} {document.RowKey}".Trim();
            dossier.UnsignedComponents = unsigned.Count == 0 ? null : JsonSerializer.Serialize(unsigned);
            if (document.FailureCode is not null) dossier.DocumentsFailed++;
            var status = (DossierStatus)dossier.Status;
            var outcome = new DocumentOutcome(document.RowKey, document.FileName, document.Component, document.Kind, document.SignatureVerdict,
                document.PageCount, document.OcrPages, document.OcrConfidence, document.FailureCode, unsigned);
            return new DossierChange(new StatusChange(status, status, Action, Comment(document)), outcome);
        }, DocumentReceivedFunction.Actor, causedBy: message.MessageId, cancellationToken);

        if (result.Outbox is { } messages) await outbox.DispatchAsync(document.DossierCode, messages, result.PendingMark, cancellationToken);
        if (result.Outcome == ChangeOutcome.NotFound) throw new InvalidOperationException($"Dossier {document.DossierCode} has no row yet.");
        await MarkRecordedAsync(document, cancellationToken);
        DocumentLog.OutcomeRecorded(logger, document.DossierCode, document.RowKey, result.Outcome);
    }

    private async Task MarkRecordedAsync(DocumentEntity document, CancellationToken cancellationToken)
    {
        if (document.Stage == DocumentStages.Recorded) return;
        document.Stage = DocumentStages.Recorded;
        await steps.SaveAsync(document, cancellationToken);
    }

    /// <summary>
    /// Components whose procedure requires a signature and whose documents, processed so far, carry
    /// no valid one (a valid detached signature counts for its component).
    /// </summary>
    private async Task<List<int>> UnsignedComponentsAsync(DossierEntity dossier, DocumentEntity current, CancellationToken cancellationToken)
    {
        var procedure = await catalog.FindVersionAsync(dossier.ProcedureCode, dossier.ProcedureVersion, cancellationToken);
        if (procedure is null) return [];
        var documents = new List<DocumentEntity>();
        await foreach (var d in steps.Tables.Documents.QueryAsync<DocumentEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {dossier.DossierId}"), cancellationToken: cancellationToken))
        {
            documents.Add(d.RowKey == current.RowKey ? current : d);
        }
        var checkedDocuments = documents.Where(d => d.RowKey == current.RowKey || dossier.DocumentsRecorded.Contains(d.RowKey, StringComparison.Ordinal)).ToList();
        var signatureKind = DocumentKind.Signature.Slug();
        // A detached signature counts for the document it verifiably signs, in that document's component;
        // an enveloping one signs content that is not a dossier document, and counts for nothing.
        var signedByDetached = checkedDocuments
            .Where(d => d.Kind == signatureKind && d.SignatureVerdict == SignatureVerdict.Valid.Slug() && d.SignsDocumentId is not null)
            .Select(d => d.SignsDocumentId!).ToHashSet(StringComparer.Ordinal);
        var content = checkedDocuments.Where(d => d.Kind != signatureKind).ToList();
        var unsigned = new List<int>();
        for (var number = 1; number <= procedure.Components.Count; number++)
        {
            if (!procedure.Components[number - 1].SignatureRequired) continue;
            var ofComponent = content.Where(d => d.Component == number).ToList();
            if (ofComponent.Count > 0 && !ofComponent.Any(d => d.SignatureVerdict == SignatureVerdict.Valid.Slug() || signedByDetached.Contains(d.RowKey)))
                unsigned.Add(number);
        }
        return unsigned;
    }

    private static string Comment(DocumentEntity d)
    {
        if (d.FailureCode is not null) return $"Không xử lý được tài liệu «{d.FileName}»: {FailureText(d.FailureCode)}.";
        var verdict = SignatureVerdicts.FromSlug(d.SignatureVerdict).Vietnamese();
        var pages = d.PageCount is > 0 ? $"; {d.PageCount} trang" + (d.OcrPages is > 0 ? $", {d.OcrPages} trang nhận dạng OCR" : string.Empty) : string.Empty;
        return $"Đã kiểm tra tài liệu «{d.FileName}»: {verdict}{pages}.";
    }

    private static string FailureText(string code) => code switch
    {
        Text.TextFailures.Encrypted => "tệp được bảo vệ bằng mật khẩu",
        Text.TextFailures.Malformed => "tệp bị lỗi cấu trúc",
        Text.TextFailures.TooManyPages => "tệp có quá nhiều trang",
        Text.TextFailures.ImageTooLarge => "ảnh có kích thước quá lớn",
        Text.TextFailures.Timeout => "xử lý quá thời gian cho phép",
        Text.TextFailures.ExtensionMismatch => "phần mở rộng của tên tệp không khớp nội dung",
        Text.TextFailures.Replaced => "tệp bị ghi đè sau khi đã được xác nhận",
        Text.TextFailures.ArchiveTooLarge => "tệp nén có quá nhiều thành phần hoặc quá lớn khi giải nén",
        _ => "không đọc được nội dung",
    };
}
