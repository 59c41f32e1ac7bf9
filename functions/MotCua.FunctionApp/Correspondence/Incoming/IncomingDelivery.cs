using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Observability;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>A document another agency of this deployment issued to us: what it says of itself, where it comes from, and its signed file.</summary>
/// <remarks>From the exchange, <see cref="OriginOutgoingId"/> is null and <see cref="SourceDocumentId"/> is the package's own DocumentId.</remarks>
public sealed record DeliveredDocument(string SenderId, string SenderName, string Number, string Notation, DateOnly DocumentDate, string DocumentType,
    string Summary, int Priority, string? OriginOutgoingId, string? InReplyToOutgoingId, IReadOnlyList<string> FileNames,
    string? SourceDocumentId = null, bool ViaExchange = false, DateOnly? DueDate = null);

/// <summary>
/// Receives, as an incoming document, what another agency of this deployment issued: once per
/// source document, however often it is delivered (the source marker is in the creating batch). The
/// file is copied into the recipient's documents, then checked (signatures, text) as any arrival.
/// </summary>
public sealed class IncomingDelivery(IncomingStore store, DocumentUploader uploader, MotCuaTables tables, BlobCreatedEvents blobEvents, TimeProvider time)
{
    public const string Deliverer = "system";

    /// <summary>The recipient's incoming document's id: the one created now, or the one an earlier delivery created.</summary>
    /// <param name="openFile">Opens the file of <see cref="DeliveredDocument.FileNames"/> at an index: the main document first, then its attachments.</param>
    public async Task<string> DeliverAsync(string agency, DeliveredDocument delivered, Func<int, CancellationToken, Task<Stream>> openFile, CancellationToken cancellationToken)
    {
        var sourceId = delivered.SourceDocumentId ?? new QcvnDocumentId(delivered.SenderId, delivered.DocumentDate, delivered.Number, delivered.Notation).ToString();
        var partition = IncomingRows.Partition(agency);
        // No look for an earlier delivery first: the creating batch's source marker refuses a second one, and that rare case cleans up after itself.

        var now = time.GetUtcNow();
        var id = IncomingDocumentId.New(agency, VietnamTime.Today(now)).ToString();
        var filesOwner = Guid.CreateVersion7().ToString("N");
        List<StoredDocument> stored = [];
        try
        {
            for (var i = 0; i < delivered.FileNames.Count; i++)
            {
                await using var file = await openFile(i, cancellationToken);
                stored.Add(await uploader.UploadAsync(filesOwner, delivered.FileNames[i], null, file, cancellationToken));
            }
        }
        catch
        {
            await uploader.DeleteAsync(stored);
            throw;
        }
        var d = new IncomingDocumentEntity
        {
            PartitionKey = partition,
            RowKey = IncomingRows.Document(id),
            Id = id,
            Agency = agency,
            Status = (int)IncomingStatus.Arrived,
            Channel = "electronic",
            Priority = delivered.Priority,
            ArrivedAt = now,
            ArrivedBy = Deliverer,
            SenderId = delivered.SenderId,
            SenderName = delivered.SenderName,
            Number = delivered.Number,
            Notation = delivered.Notation,
            DocumentDate = Days.Format(delivered.DocumentDate),
            DocumentType = delivered.DocumentType,
            Summary = delivered.Summary,
            SourceDocumentId = sourceId,
            FileCount = stored.Count,
            FilesOwner = filesOwner,
            OriginOutgoingId = delivered.OriginOutgoingId,
            InReplyToOutgoingId = delivered.InReplyToOutgoingId,
            ViaExchange = delivered.ViaExchange,
            SenderDueDate = delivered.DueDate is { } due ? Days.Format(due) : null,
        };
        try
        {
            await tables.Documents.SubmitTransactionAsync(stored.Select(f => new TableTransactionAction(TableTransactionActionType.Add,
                DocumentParts.Row(f, filesOwner, id, now))), cancellationToken);
            var marker = new TableEntity(partition, IncomingRows.Source(sourceId)) { ["DocumentId"] = id };
            var messages = blobEvents.OutboxFor(id, stored, Telemetry.CurrentTraceParent()).Select(m =>
            {
                m.PartitionKey = partition;
                return m;
            });
            await store.CreateAsync(d, Deliverer, $"Văn bản điện tử {delivered.Number}/{delivered.Notation} của {delivered.SenderName} đến qua {(delivered.ViaExchange ? "trục liên thông" : "hệ thống")}, {stored.Count} tệp.", [marker],
                [.. messages], cancellationToken);
            return id;
        }
        catch (Azure.RequestFailedException e) when (e.Status is >= 400 and < 500 and not 409)
        {
            // Refused for certain (too large, precondition): nothing of this delivery stays.
            try
            {
                await tables.Documents.SubmitTransactionAsync(stored.Select(f => new TableTransactionAction(TableTransactionActionType.Delete,
                    DocumentParts.Row(f, filesOwner, id, now), Azure.ETag.All)), CancellationToken.None);
            }
            catch (Azure.RequestFailedException)
            {
                // The file rows were never written.
            }
            await uploader.DeleteAsync(stored);
            throw;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // Another delivery of the same document won: ours goes, theirs stays.
            await tables.Documents.SubmitTransactionAsync(stored.Select(f => new TableTransactionAction(TableTransactionActionType.Delete,
                DocumentParts.Row(f, filesOwner, id, now), Azure.ETag.All)), CancellationToken.None);
            await uploader.DeleteAsync(stored);
            return await ExistingAsync(partition, sourceId, cancellationToken) ?? throw new InvalidOperationException($"{sourceId} conflicted but has no marker.");
        }
    }

    /// <summary>The incoming document an earlier delivery of <paramref name="sourceId"/> created at <paramref name="agency"/>, if any.</summary>
    public Task<string?> FindAsync(string agency, string sourceId, CancellationToken cancellationToken) =>
        ExistingAsync(IncomingRows.Partition(agency), sourceId, cancellationToken);

    private async Task<string?> ExistingAsync(string partition, string sourceId, CancellationToken cancellationToken)
    {
        var marker = await tables.Dossiers.GetEntityIfExistsAsync<TableEntity>(partition, IncomingRows.Source(sourceId), cancellationToken: cancellationToken);
        return marker.HasValue ? marker.Value!.GetString("DocumentId") : null;
    }
}
