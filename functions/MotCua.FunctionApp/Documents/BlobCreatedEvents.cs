using System.Text.Json;
using Azure.Storage.Blobs;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Outbox;

namespace MotCua.FunctionApp.Documents;

/// <summary>
/// Azurite has no Event Grid: in standalone mode the code that writes a document also publishes its
/// <c>Microsoft.Storage.BlobCreated</c> event, through the dossier's outbox so a crash cannot lose it.
/// Under the Functions host, Event Grid publishes and this adds nothing.
/// </summary>
public sealed class BlobCreatedEvents(BlobContainerClient documents, HostingMode mode, TimeProvider time)
{
    public const string EventType = "Microsoft.Storage.BlobCreated";

    public IEnumerable<OutboxEntity> OutboxFor(string dossierCode, IEnumerable<StoredDocument> stored, string? traceParent) =>
        mode == HostingMode.Standalone
            ? stored.Select(d => OutboxEntity.Create(dossierCode, QueueNames.BlobCreated, EventType,
                BinaryData.FromObjectAsJson(Event(d), JsonSerializerOptions.Web), traceParent))
            : [];

    private object Event(StoredDocument document) => new
    {
        id = Guid.NewGuid(),
        topic = $"/storageAccounts/{documents.AccountName}",
        subject = $"/blobServices/default/containers/{documents.Name}/blobs/{document.BlobName}",
        eventType = EventType,
        eventTime = time.GetUtcNow(),
        dataVersion = "",
        metadataVersion = "1",
        data = new
        {
            api = "PutBlob",
            contentType = document.ContentType,
            contentLength = document.Length,
            blobType = "BlockBlob",
            url = documents.GetBlobClient(document.BlobName).Uri,
        },
    };
}
