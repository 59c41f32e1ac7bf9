using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Storage;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Documents.Processing;

/// <summary>
/// What every document step shares: reading its message and the document row, a private work
/// folder for the files it downloads, saving the row under its ETag, and passing the document on.
/// </summary>
public sealed class DocumentSteps(MotCuaTables tables, BlobContainerClient documents, IMessageTransport transport)
{
    public MotCuaTables Tables => tables;

    /// <summary>The document a step's message names, or null when it is gone.</summary>
    public async Task<DocumentEntity?> ReadAsync(QueueMessage<DocumentStepMessage> message, CancellationToken cancellationToken)
    {
        var row = await tables.Documents.GetEntityIfExistsAsync<DocumentEntity>(message.Body.DossierId, message.Body.DocumentId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Saves the row; a concurrent change fails with 412 and the message's retry starts over from the stored state.</summary>
    public Task SaveAsync(DocumentEntity document, CancellationToken cancellationToken) =>
        tables.Documents.UpdateEntityAsync(document, document.ETag, TableUpdateMode.Merge, cancellationToken);

    public Task SendAsync(string queue, DocumentEntity document, string? traceParent, CancellationToken cancellationToken, DateTimeOffset? notBefore = null)
    {
        var properties = traceParent is null ? null : new Dictionary<string, string> { [Outbox.MessageProperties.TraceParent] = traceParent };
        return transport.SendAsync(queue, new OutgoingMessage(
            $"{document.RowKey}-{queue}-{Guid.NewGuid():N}", DocumentStepMessage.Subject,
            BinaryData.FromObjectAsJson(new DocumentStepMessage(document.PartitionKey, document.RowKey), JsonSerializerOptions.Web),
            CorrelationId: document.DossierCode, Properties: properties, ScheduledEnqueueTime: notBefore), cancellationToken);
    }

    /// <summary>
    /// Streams the document's blob to a file in <paramref name="folder"/>; memory stays at one buffer.
    /// Only the bytes that were accepted are read: a blob replaced since (a direct-upload address is
    /// still writable until it expires) throws <see cref="DocumentReplacedException"/>.
    /// </summary>
    public async Task<string> DownloadAsync(DocumentEntity document, string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, document.RowKey);
        var options = new BlobDownloadToOptions();
        if (document.BlobETag is { Length: > 0 } etag) options.Conditions = new BlobRequestConditions { IfMatch = new ETag(etag) };
        try
        {
            await documents.GetBlobClient(document.BlobName).DownloadToAsync(path, options, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new DocumentReplacedException(document.RowKey);
        }
        return path;
    }

    public static WorkFolder NewWorkFolder() => new();
}

public sealed class DocumentReplacedException(string documentId) : Exception($"The blob of document {documentId} was replaced after it was accepted.");

/// <summary>A private temporary folder, removed with everything in it when the step ends.</summary>
public sealed class WorkFolder : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "motcua", Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A tool still closing its file: the OS temp cleaner takes it later.
        }
    }
}
