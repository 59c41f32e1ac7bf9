using Azure.Data.Tables;
using Azure.Storage.Blobs;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Documents;

/// <summary>
/// Event Grid <c>BlobCreated</c> for the documents container: confirms the stored blob belongs to a
/// document row and marks the document stored. Document processing (signatures, OCR) starts here.
/// </summary>
public sealed class DocumentBlobCreatedFunction(MotCuaTables tables, BlobContainerClient documents, Processing.DocumentSteps steps, TimeProvider time,
    ILogger<DocumentBlobCreatedFunction> logger) : IBlobCreatedHandler
{
    public static readonly FunctionDeclaration Declaration = new("DocumentBlobCreated", new BlobCreatedTrigger(StorageContainers.Documents));

    public async Task HandleAsync(BlobCreated blob, CancellationToken cancellationToken)
    {
        var parts = blob.BlobName.Split('/');
        if (blob.Container != documents.Name || parts.Length != 2)
        {
            DocumentEventLog.NotADocument(logger, blob.Container, blob.BlobName);
            return;
        }
        var (dossierId, documentId) = (parts[0], parts[1]);

        var row = await tables.Documents.GetEntityIfExistsAsync<DocumentEntity>(dossierId, documentId, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            // Either the submission is still writing its rows (retry finds them) or it was refused and removed its blob.
            if (!await documents.GetBlobClient($"{dossierId}/{documentId}").ExistsAsync(cancellationToken)) return;
            throw new InvalidOperationException($"Document {documentId} of dossier {dossierId} has no row yet.");
        }

        var document = row.Value!;
        // A direct upload is not the dossier's until the app confirms it; the confirmation starts processing.
        if (document.Stage == DocumentStages.AwaitingUpload) return;
        if (document.StoredAt is null)
        {
            document.StoredAt = time.GetUtcNow();
            // A concurrent change fails this with 412; the retry reads the row again.
            await tables.Documents.UpdateEntityAsync(document, document.ETag, TableUpdateMode.Merge, cancellationToken);
            DossierLog.DocumentStored(logger, dossierId, documentId, document.Length);
        }
        // Sent again on every delivery: a crash after marking must not strand the document; the steps ignore repeats.
        await steps.SendAsync(Processing.DocumentQueues.Signatures, document, Observability.Telemetry.CurrentTraceParent(), cancellationToken);
    }
}

internal static partial class DocumentEventLog
{
    [LoggerMessage(1, LogLevel.Debug, "Blob {Container}/{BlobName} is not a dossier document; ignored")]
    public static partial void NotADocument(ILogger logger, string container, string blobName);
}
