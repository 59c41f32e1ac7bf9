using System.Text.Json;
using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.Domain.History;
using MotCua.FunctionApp.Observability;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>A step picked for an outgoing document: its status move, what it carried, and other rows of the agency's partition it writes.</summary>
public sealed record OutgoingChange(OutgoingStatus To, string Action, string Comment = "", object? Details = null, IReadOnlyList<ITableEntity>? Rows = null);

public sealed record OutgoingHistoryView(int Sequence, DateTimeOffset At, string Actor, string Action, string From, string To, string Comment);

/// <summary>Another step was recorded first: the caller's version is stale.</summary>
public sealed class OutgoingVersionConflictException(int current) : Exception($"The document is at version {current}.")
{
    public int Current { get; } = current;
}

/// <summary>
/// An agency's outgoing documents. Every step is one ETag-checked batch in the agency's partition:
/// the document row, its history entry, its event and any other rows land together or not at all;
/// the outbox then sends the event.
/// </summary>
public sealed class OutgoingStore(MotCuaTables tables, OutboxDispatcher outbox, TimeProvider time, ILogger<OutgoingStore> logger)
{
    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    public async Task<OutgoingDocumentEntity?> FindAsync(OutgoingDocumentId id, CancellationToken cancellationToken)
    {
        var row = await tables.Dossiers.GetEntityIfExistsAsync<OutgoingDocumentEntity>(OutgoingRows.Partition(id.Agency), OutgoingRows.Document(id.ToString()),
            cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>
    /// The document's history. A short one is read by its keys, the entries of exactly the row's version: point
    /// reads, which a table store serves from its index where a query may scan. A longer one takes one query.
    /// </summary>
    public async Task<IReadOnlyList<OutgoingHistoryView>> HistoryAsync(OutgoingDocumentEntity d, CancellationToken cancellationToken)
    {
        List<OutgoingHistoryEntity> rows = [];
        if (d.Version <= 16)
        {
            var found = await Task.WhenAll(Enumerable.Range(1, d.Version).Select(sequence => tables.Dossiers.GetEntityIfExistsAsync<OutgoingHistoryEntity>(
                d.PartitionKey, OutgoingRows.History(d.Id, sequence), cancellationToken: cancellationToken)));
            rows.AddRange(found.Where(r => r.HasValue).Select(r => r.Value!));
        }
        else
        {
            await foreach (var e in tables.Dossiers.QueryAsync<OutgoingHistoryEntity>(OutgoingRows.PrefixFilter(d.Agency, OutgoingRows.HistoryPrefix(d.Id)),
                cancellationToken: cancellationToken))
            {
                rows.Add(e);
            }
        }
        return [.. rows.Select(e => new OutgoingHistoryView(e.Sequence, e.At, e.Actor, e.Action, ((OutgoingStatus)e.FromStatus).Code(), ((OutgoingStatus)e.ToStatus).Code(),
            e.Comment))];
    }

    /// <summary>The recipients' rows, written from the issue on; none before.</summary>
    public async Task<IReadOnlyList<OutgoingRecipientEntity>> RecipientsAsync(OutgoingDocumentEntity d, CancellationToken cancellationToken)
    {
        if (d.State is not (OutgoingStatus.Issued or OutgoingStatus.Recalled)) return [];
        var rows = new List<OutgoingRecipientEntity>();
        await foreach (var r in tables.Dossiers.QueryAsync<OutgoingRecipientEntity>(OutgoingRows.PrefixFilter(d.Agency, OutgoingRows.RecipientPrefix(d.Id)),
            cancellationToken: cancellationToken))
        {
            rows.Add(r);
        }
        return rows;
    }

    public async Task CreateAsync(OutgoingDocumentEntity d, string actor, string comment, CancellationToken cancellationToken)
    {
        var (message, mark) = await WriteAsync(d, OutgoingStatus.Draft, new OutgoingChange(OutgoingStatus.Draft, "drafted", comment), actor, TableTransactionActionType.Add,
            cancellationToken);
        await SendAsync(d, message, mark, cancellationToken);
    }

    /// <summary>
    /// Applies the step <paramref name="decide"/> picks for the document as it is now (it may update the row).
    /// With <paramref name="expectedVersion"/>, a concurrent step fails it with <see cref="OutgoingVersionConflictException"/>;
    /// without, it reads and decides again. <paramref name="turn"/>, when given, is held from the decision to the batch.
    /// </summary>
    public async Task<OutgoingDocumentEntity> ApplyAsync(OutgoingDocumentEntity current, int? expectedVersion,
        Func<OutgoingDocumentEntity, CancellationToken, ValueTask<OutgoingChange>> decide, string actor, CancellationToken cancellationToken, SemaphoreSlim? turn = null)
    {
        var d = current;
        for (var attempt = 1; ; attempt++)
        {
            if (expectedVersion is { } expected && expected != d.Version) throw new OutgoingVersionConflictException(d.Version);
            if (turn is not null) await turn.WaitAsync(cancellationToken);
            (OutboxEntity? Message, Azure.ETag? Mark) written;
            try
            {
                var from = d.State;
                var change = await decide(d, cancellationToken);
                written = await WriteAsync(d, from, change, actor, TableTransactionActionType.UpdateReplace, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < 20)
            {
                // Someone changed the document, or took the series' next number, after we read them.
                written = default;
            }
            finally
            {
                turn?.Release();
            }
            if (written.Message is not null)
            {
                // Sent after the turn is given back: only the batch contends for the counter.
                await SendAsync(d, written.Message, written.Mark, cancellationToken);
                return d;
            }
            d = await FindAsync(OutgoingDocumentId.TryParse(d.Id, out var id) ? id.Value : throw new InvalidOperationException(d.Id), cancellationToken)
                ?? throw new InvalidOperationException($"Outgoing document {d.Id} disappeared.");
            if (expectedVersion is not null && d.Version != expectedVersion) throw new OutgoingVersionConflictException(d.Version);
        }
    }

    private async Task<(OutboxEntity Message, Azure.ETag? Mark)> WriteAsync(OutgoingDocumentEntity d, OutgoingStatus from, OutgoingChange change, string actor,
        TableTransactionActionType documentAction, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var details = change.Details is null ? string.Empty : JsonSerializer.Serialize(change.Details, DetailsJson);
        var sequence = d.Version + 1;
        var previous = d.Version == 0 ? HistoryChain.Genesis : d.LastHistoryHash;
        var hash = HistoryChain.ComputeHash(sequence, now, actor, change.Action, (int)from, (int)change.To, change.Comment, string.Empty, details, previous);
        d.Status = (int)change.To;
        d.Version = sequence;
        d.LastHistoryHash = hash;
        var history = new OutgoingHistoryEntity
        {
            PartitionKey = d.PartitionKey, RowKey = OutgoingRows.History(d.Id, sequence), Sequence = sequence, At = now, Actor = actor, Action = change.Action,
            FromStatus = (int)from, ToStatus = (int)change.To, Comment = change.Comment, Details = details, PreviousHash = previous, Hash = hash,
        };
        var body = new OutgoingEvent(d.Id, d.Agency, sequence, change.Action, (int)from, (int)change.To, actor, now, d.Priority, d.Secret, d.Secret ? null : d.Summary);
        var message = OutboxEntity.Create(d.PartitionKey, OutgoingEvent.Queue, OutgoingEvent.Subject, BinaryData.FromObjectAsJson(body, JsonSerializerOptions.Web),
            Telemetry.CurrentTraceParent());
        var mark = await tables.Outbox.UpsertEntityAsync(PendingOutbox.For(d.PartitionKey), TableUpdateMode.Replace, cancellationToken);
        await tables.Dossiers.SubmitTransactionAsync(
        [
            documentAction == TableTransactionActionType.Add
                ? new TableTransactionAction(TableTransactionActionType.Add, d)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, d, d.ETag),
            new TableTransactionAction(TableTransactionActionType.Add, history),
            new TableTransactionAction(TableTransactionActionType.Add, message),
            .. (change.Rows ?? []).Select(r => r.ETag == default
                ? new TableTransactionAction(TableTransactionActionType.Add, r)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, r, r.ETag)),
        ], cancellationToken);
        return (message, mark.Headers.ETag);
    }

    /// <summary>The change is recorded whatever happens here: what cannot be sent now, the outbox sweep sends.</summary>
    private async Task SendAsync(OutgoingDocumentEntity d, OutboxEntity message, Azure.ETag? mark, CancellationToken cancellationToken)
    {
        try
        {
            await outbox.DispatchOwnAsync(d.PartitionKey, [message], mark, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            OutboxLog.DispatchFailed(logger, d.Id, e);
        }
    }
}
