using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Observability;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>A step picked for an incoming document: its status move, what it carried, and other rows of the agency's partition it writes.</summary>
public sealed record IncomingChange(IncomingStatus To, string Action, string Comment = "", object? Details = null, IReadOnlyList<ITableEntity>? Rows = null);

public sealed record IncomingApplied(IncomingDocumentEntity Document, IncomingHistoryEntry Entry);

/// <summary>Another step was recorded first: the caller's version is stale.</summary>
public sealed class IncomingVersionConflictException(int current) : Exception($"The document is at version {current}.")
{
    public int Current { get; } = current;
}

/// <summary>
/// An agency's incoming documents. Every step is one ETag-checked batch in the agency's partition:
/// the document row, its history entry, its event and any other rows (the register's counter and
/// entry) land together or not at all; the outbox then sends the event.
/// </summary>
public sealed class IncomingStore(MotCuaTables tables, OutboxDispatcher outbox, TimeProvider time, ILogger<IncomingStore> logger)
{
    public static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    public async Task<IncomingDocumentEntity?> FindAsync(IncomingDocumentId id, CancellationToken cancellationToken)
    {
        var row = await tables.Dossiers.GetEntityIfExistsAsync<IncomingDocumentEntity>(
            IncomingRows.Partition(id.Agency), IncomingRows.Document(id.ToString()), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>
    /// The document's history. One no longer than the view shows is read by its keys, the entries of
    /// exactly the row's version: point reads, which a table store serves from its index where a query
    /// may scan (the emulator scans the whole table for every query). A longer one takes one query.
    /// </summary>
    public async Task<IReadOnlyList<IncomingHistoryEntry>> HistoryAsync(IncomingDocumentEntity d, CancellationToken cancellationToken)
    {
        if (d.Version <= IncomingViewMapping.HistoryShown)
        {
            var rows = await Task.WhenAll(Enumerable.Range(1, d.Version).Select(sequence => tables.Dossiers.GetEntityIfExistsAsync<IncomingHistoryEntity>(
                d.PartitionKey, IncomingRows.History(d.Id, sequence), cancellationToken: cancellationToken)));
            return [.. rows.Where(r => r.HasValue).Select(r => r.Value!.ToEntry())];
        }
        var entries = new List<IncomingHistoryEntry>();
        await foreach (var e in tables.Dossiers.QueryAsync<IncomingHistoryEntity>(IncomingRows.PrefixFilter(d.Agency, IncomingRows.HistoryPrefix(d.Id)),
            cancellationToken: cancellationToken))
        {
            entries.Add(e.ToEntry());
        }
        return entries;
    }

    /// <summary>Writes a new document with its first history entry; <paramref name="extraRows"/> (its source marker) go in the same batch.</summary>
    public async Task<IncomingApplied> CreateAsync(IncomingDocumentEntity d, string actor, string comment, IReadOnlyList<ITableEntity> extraRows,
        IReadOnlyList<OutboxEntity> messages, CancellationToken cancellationToken)
    {
        var entry = IncomingHistoryEntry.Append(0, string.Empty, d.ArrivedAt, actor, "arrived", IncomingStatus.Arrived, IncomingStatus.Arrived, comment, string.Empty);
        d.Version = entry.Sequence;
        d.LastHistoryHash = entry.Hash;
        var message = Event(d, entry);
        var mark = await tables.Outbox.UpsertEntityAsync(PendingOutbox.For(d.PartitionKey), TableUpdateMode.Replace, cancellationToken);
        await tables.Dossiers.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, d),
            new TableTransactionAction(TableTransactionActionType.Add, IncomingHistoryEntity.From(d.Agency, d.Id, entry)),
            new TableTransactionAction(TableTransactionActionType.Add, message),
            .. messages.Select(m => new TableTransactionAction(TableTransactionActionType.Add, m)),
            .. extraRows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)),
        ], cancellationToken);
        await SendAsync(d, [message, .. messages], mark.Headers.ETag, cancellationToken);
        return new IncomingApplied(d, entry);
    }

    /// <summary>
    /// Applies the step <paramref name="decide"/> picks for the document as it is now (it may update
    /// the row it is given). With <paramref name="expectedVersion"/>, a concurrent step fails it with
    /// <see cref="IncomingVersionConflictException"/>; without, it reads and decides again.
    /// </summary>
    public Task<IncomingApplied> ApplyAsync(IncomingDocumentEntity current, int? expectedVersion,
        Func<IncomingDocumentEntity, CancellationToken, ValueTask<IncomingChange>> decide, string actor, CancellationToken cancellationToken) =>
        ApplyAsync(current, expectedVersion, decide, actor, turn: null, cancellationToken);

    /// <summary>
    /// As above; <paramref name="turn"/>, when given, is held from the decision to the batch only, so
    /// changes that contend for one row (the register's counter) take turns on it within an instance
    /// while the sending of their events overlaps.
    /// </summary>
    public async Task<IncomingApplied> ApplyAsync(IncomingDocumentEntity current, int? expectedVersion,
        Func<IncomingDocumentEntity, CancellationToken, ValueTask<IncomingChange>> decide, string actor, SemaphoreSlim? turn, CancellationToken cancellationToken)
    {
        var d = current;
        for (var attempt = 1; ; attempt++)
        {
            if (expectedVersion is { } expected && expected != d.Version) throw new IncomingVersionConflictException(d.Version);
            if (await WriteAsync(d, decide, actor, turn, mayRetry: attempt < 20, cancellationToken) is { } written)
            {
                await SendAsync(d, [written.Message], written.Mark, cancellationToken);
                return new IncomingApplied(d, written.Entry);
            }
            // Someone changed the document, or took the register's next number, after we read them.
            var fresh = await FindAsync(IncomingDocumentId.TryParse(d.Id, out var id) ? id.Value : throw new InvalidOperationException(d.Id), cancellationToken)
                ?? throw new InvalidOperationException($"Incoming document {d.Id} disappeared.");
            if (expectedVersion is not null && fresh.Version != expectedVersion) throw new IncomingVersionConflictException(fresh.Version);
            d = fresh;
        }
    }

    /// <summary>Decides and writes the step's batch (in turn, when given); nothing when a concurrent change won and the caller may retry.</summary>
    private async Task<(IncomingHistoryEntry Entry, OutboxEntity Message, ETag? Mark)?> WriteAsync(IncomingDocumentEntity d,
        Func<IncomingDocumentEntity, CancellationToken, ValueTask<IncomingChange>> decide, string actor, SemaphoreSlim? turn, bool mayRetry,
        CancellationToken cancellationToken)
    {
        if (turn is not null) await turn.WaitAsync(cancellationToken);
        try
        {
            var from = d.State;
            var change = await decide(d, cancellationToken);
            var now = time.GetUtcNow();
            var details = change.Details is null ? string.Empty : JsonSerializer.Serialize(change.Details, DetailsJson);
            var entry = IncomingHistoryEntry.Append(d.Version, d.LastHistoryHash, now, actor, change.Action, from, change.To, change.Comment, details);
            d.Status = (int)change.To;
            d.Version = entry.Sequence;
            d.LastHistoryHash = entry.Hash;
            var message = Event(d, entry);
            var mark = await tables.Outbox.UpsertEntityAsync(PendingOutbox.For(d.PartitionKey), TableUpdateMode.Replace, cancellationToken);
            await tables.Dossiers.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, d, d.ETag),
                new TableTransactionAction(TableTransactionActionType.Add, IncomingHistoryEntity.From(d.Agency, d.Id, entry)),
                new TableTransactionAction(TableTransactionActionType.Add, message),
                .. (change.Rows ?? []).Select(r => r.ETag == default
                    ? new TableTransactionAction(TableTransactionActionType.Add, r)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, r, r.ETag)),
            ], cancellationToken);
            return (entry, message, mark.Headers.ETag);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && mayRetry)
        {
            return null;
        }
        finally
        {
            turn?.Release();
        }
    }

    /// <summary>The change is recorded whatever happens here: what cannot be sent now, the outbox sweep sends.</summary>
    private async Task SendAsync(IncomingDocumentEntity d, IReadOnlyList<OutboxEntity> messages, Azure.ETag? mark, CancellationToken cancellationToken)
    {
        try
        {
            await outbox.DispatchOwnAsync(d.PartitionKey, messages, mark, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            OutboxLog.DispatchFailed(logger, d.Id, e);
        }
    }

    private static OutboxEntity Event(IncomingDocumentEntity d, IncomingHistoryEntry entry)
    {
        var body = new IncomingEvent(d.Id, d.Agency, entry.Sequence, entry.Action, (int)entry.From, (int)entry.To, entry.Actor, entry.At, d.Priority, d.Secret,
            d.Secret ? null : d.Summary, d.LeadUnit, d.LeadUser, d.Assignee, IncomingLists.Split(d.CoHandlers), IncomingLists.Split(d.Informed),
            d.HandlerDue, d.DirectedBy);
        return OutboxEntity.Create(d.PartitionKey, IncomingEvent.Queue, IncomingEvent.Subject, BinaryData.FromObjectAsJson(body, JsonSerializerOptions.Web),
            Telemetry.CurrentTraceParent());
    }
}

/// <summary>Lists of people or units kept in one column, space-separated (identifiers hold no spaces).</summary>
public static class IncomingLists
{
    public static IReadOnlyList<string> Split(string? column) => string.IsNullOrEmpty(column) ? [] : column.Split(' ');

    public static string? Join(IEnumerable<string>? values) => values is null || !values.Any() ? null : string.Join(' ', values);
}
