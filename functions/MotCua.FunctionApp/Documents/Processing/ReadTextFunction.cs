using Azure.Data.Tables;
using MotCua.Domain.Documents;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Documents.Processing;

/// <summary>
/// Second step: the document's text, page by page, from its text layer or by OCR. Pages are
/// written before the row records the stage, so a retry after a crash rewrites the same pages.
/// </summary>
public sealed class ReadTextFunction(DocumentSteps steps, DocumentTextReader reader, ILogger<ReadTextFunction> logger) : IQueueHandler<DocumentStepMessage>
{
    public static readonly FunctionDeclaration Declaration = new("ReadDocumentText", new QueueTrigger(DocumentQueues.Text));

    public async Task HandleAsync(QueueMessage<DocumentStepMessage> message, CancellationToken cancellationToken)
    {
        var document = await steps.ReadAsync(message, cancellationToken);
        if (document is null || !DocumentStages.Reached(document.Stage, DocumentStages.SignaturesChecked))
        {
            // Gone, or not yet here: whatever brings the document to this step sends its message again.
            DocumentLog.NotAtStep(logger, Declaration.Name, message.Body.DocumentId);
            return;
        }

        if (!DocumentStages.Reached(document.Stage, DocumentStages.TextRead))
        {
            try
            {
                if (document.FailureCode is null) await ReadAsync(document, cancellationToken);
            }
            catch (DocumentReplacedException e)
            {
                document.FailureCode = TextFailures.Replaced;
                document.FailureDetail = e.Message;
            }
            document.Stage = DocumentStages.TextRead;
            await steps.SaveAsync(document, cancellationToken);
        }

        await steps.SendAsync(DocumentQueues.Index, document, message.TraceParent, cancellationToken);
    }

    private async Task ReadAsync(DocumentEntity document, CancellationToken cancellationToken)
    {
        var kind = VerifySignaturesFunction.DocumentKindOf(document);
        DocumentText text;
        using (var folder = DocumentSteps.NewWorkFolder())
        {
            text = kind is DocumentKind.Signature
                ? new DocumentText([])
                : await reader.ReadAsync(await steps.DownloadAsync(document, folder.Path, cancellationToken), kind, folder.Path, cancellationToken);
        }
        await SavePagesAsync(document.RowKey, text.Pages, cancellationToken);
        document.FailureCode = text.FailureCode;
        document.FailureDetail = text.FailureDetail;
        document.PageCount = text.Pages.Count;
        document.TextLayerPages = text.Pages.Count(p => p.Source == PageSources.TextLayer);
        document.OcrPages = text.Pages.Count(p => p.Source == PageSources.Ocr);
        document.FailedPages = text.Pages.Count(p => p.Error is not null);
        var confidences = text.Pages.Where(p => p.Confidence is not null).Select(p => p.Confidence!.Value).ToList();
        document.OcrConfidence = confidences.Count == 0 ? null : Math.Round(confidences.Average(), 1);
        DocumentLog.TextRead(logger, document.DossierCode, document.RowKey, text.Pages.Count, document.OcrPages ?? 0, text.FailureCode);
    }

    /// <summary>
    /// Pages go up in batches of at most 100 rows and about 2 MB, under Table storage's 4 MB batch
    /// limit even for pages dense with Vietnamese text (up to 3 bytes a character, counted at 4).
    /// </summary>
    private async Task SavePagesAsync(string documentId, IReadOnlyList<PageText> pages, CancellationToken cancellationToken)
    {
        const int maxBatchBytes = 2 * 1024 * 1024;
        var batch = new List<TableTransactionAction>();
        var bytes = 0;
        foreach (var p in pages)
        {
            var size = p.Text.Length * 4 + 1024;
            if (batch.Count == 100 || (batch.Count > 0 && bytes + size > maxBatchBytes))
            {
                await steps.Tables.Pages.SubmitTransactionAsync(batch, cancellationToken);
                (batch, bytes) = ([], 0);
            }
            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new PageEntity
            {
                PartitionKey = documentId,
                RowKey = PageEntity.Key(p.Number),
                Number = p.Number,
                Text = p.Text,
                Source = p.Source,
                Confidence = p.Confidence,
                Error = p.Error,
            }));
            bytes += size;
        }
        if (batch.Count > 0) await steps.Tables.Pages.SubmitTransactionAsync(batch, cancellationToken);
    }
}
