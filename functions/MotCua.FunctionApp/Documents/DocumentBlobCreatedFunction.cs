using System.Text.Json;
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
public sealed class DocumentBlobCreatedFunction(MotCuaTables tables, BlobContainerClient documents, Processing.DocumentSteps steps, TimeProvider time, ILogger<DocumentBlobCreatedFunction> logger) : IFunctionHandler
{
    public FunctionDeclaration Function => FunctionCatalog.DocumentBlobCreated;

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        if (!request.Data.TryGetValue(TriggerBindings.EventGrid, out var raw)) throw new InvalidInvocationException("No event.");
        var gridEvent = TriggerValues.ReadJson(raw);
        var eventType = gridEvent.TryGetProperty("eventType", out var t) ? t.GetString() : null;
        if (eventType != BlobCreatedEvents.EventType) return InvocationResponse.Done($"Ignored event type {eventType}.");

        var subject = gridEvent.GetProperty("subject").GetString() ?? string.Empty;
        var prefix = $"/blobServices/default/containers/{documents.Name}/blobs/";
        if (!subject.StartsWith(prefix, StringComparison.Ordinal)) return InvocationResponse.Done($"Ignored blob {subject}.");
        var parts = subject[prefix.Length..].Split('/');
        if (parts.Length != 2) return InvocationResponse.Done($"Ignored blob {subject}: not a document.");
        var (dossierId, documentId) = (parts[0], parts[1]);

        var row = await tables.Documents.GetEntityIfExistsAsync<DocumentEntity>(dossierId, documentId, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            // Either the submission is still writing its rows (retry finds them) or it was refused and removed its blob.
            if (!await documents.GetBlobClient($"{dossierId}/{documentId}").ExistsAsync(cancellationToken))
                return InvocationResponse.Done($"Blob {dossierId}/{documentId} is gone.");
            throw new InvalidOperationException($"Document {documentId} of dossier {dossierId} has no row yet.");
        }

        var document = row.Value!;
        // A direct upload is not the dossier's until the app confirms it; the confirmation starts processing.
        if (document.Stage == DocumentStages.AwaitingUpload) return InvocationResponse.Done($"Document {documentId} awaits its confirmation.");
        if (document.StoredAt is null)
        {
            document.StoredAt = time.GetUtcNow();
            // A concurrent change fails this with 412; the retry reads the row again.
            await tables.Documents.UpdateEntityAsync(document, document.ETag, TableUpdateMode.Merge, cancellationToken);
            DossierLog.DocumentStored(logger, dossierId, documentId, document.Length);
        }
        // Sent again on every delivery: a crash after marking must not strand the document; the steps ignore repeats.
        await steps.SendAsync(Processing.DocumentQueues.Signatures, document, Observability.Telemetry.CurrentTraceParent(), cancellationToken);
        return InvocationResponse.Done($"Document {documentId} stored and queued.");
    }
}
