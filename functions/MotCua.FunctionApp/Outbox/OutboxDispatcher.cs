using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Storage;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Outbox;

/// <summary>
/// Sends a dossier's outbox messages, then removes them. A crash after a send and before the
/// removal sends the message again later: handlers recognise it by its message id.
/// </summary>
public sealed class OutboxDispatcher(MotCuaTables tables, IMessageTransport transport, OutboxScans scans, IEnumerable<IStrandedWork> strandedWork,
    IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxDispatcher> logger)
{
    /// <summary>Sends whatever the dossier's partition holds unsent, then removes its pending mark if still <paramref name="pendingMark"/>.</summary>
    public Task<int> DispatchAsync(string dossierCode, ETag? pendingMark, CancellationToken cancellationToken) =>
        DispatchAsync(dossierCode, [], pendingMark, cancellationToken);

    /// <summary>
    /// Sends the rows the caller has just committed without reading them back, then every other row
    /// still in the partition: an earlier change that died after its batch left them there, and once
    /// the pending mark is gone nothing else would point the sweep at them. The mark is removed only
    /// if it is still the one <paramref name="pendingMark"/> names: a later change's mark stays for it.
    /// </summary>
    public async Task<int> DispatchAsync(string dossierCode, IReadOnlyList<OutboxEntity> rows, ETag? pendingMark, CancellationToken cancellationToken)
    {
        var sent = await SendAndRemoveAsync(dossierCode, rows, cancellationToken);
        sent += await SendAndRemoveAsync(dossierCode, await UnsentAsync(dossierCode, cancellationToken), cancellationToken);
        if (pendingMark is not { } mark) return sent;
        try
        {
            await tables.Outbox.DeleteEntityAsync(PendingOutbox.Partition, dossierCode, mark, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            // Another change marked the dossier again after ours (its request or the sweep sends what it left),
            // or a concurrent dispatch removed the mark first.
        }
        return sent;
    }

    /// <summary>
    /// For a partition many changes write at once (an agency's incoming documents): sends only the
    /// rows the caller committed, so concurrent changes do not send each other's messages again,
    /// and removes the pending mark only when the partition holds nothing unsent. Rows of a change
    /// still in flight keep the mark, and the sweep sends them if that change died.
    /// </summary>
    public async Task DispatchOwnAsync(string partition, IReadOnlyList<OutboxEntity> rows, ETag? pendingMark, CancellationToken cancellationToken)
    {
        await SendAndRemoveAsync(partition, rows, cancellationToken);
        if (pendingMark is not { } mark) return;
        await foreach (var _ in tables.Dossiers.QueryAsync<TableEntity>(DossierRows.PrefixFilter(partition, DossierRows.OutboxPrefix), maxPerPage: 1,
            select: ["RowKey"], cancellationToken: cancellationToken))
        {
            return;
        }
        try
        {
            await tables.Outbox.DeleteEntityAsync(PendingOutbox.Partition, partition, mark, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            // A later change marked the partition again, or another removed the mark first.
        }
    }

    /// <summary>
    /// Dispatches what a crash left behind; returns the number of messages sent. Marked dossiers are
    /// read every run; now and then the whole table is scanned for rows with no mark at all.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.SweepAge;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PendingOutbox.Partition}");
        var total = 0;
        // The partition holds only what is in flight, so reading it whole is cheap; the age is checked here
        // because Azurite does not filter on Timestamp.
        await foreach (var pending in tables.Outbox.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (pending.Timestamp >= cutoff) continue;
            total += await RecoverAsync(pending.RowKey, pending.ETag, cancellationToken);
        }
        if (await scans.TryStartAsync(cancellationToken) is { } scan)
        {
            total += await ScanAllAsync(cutoff, cancellationToken);
            await scans.FinishAsync(scan, cancellationToken);
        }
        return total;
    }

    /// <summary>
    /// Finds outbox rows in every dossier's partition, marked or not: what an older deployment hid
    /// from the marks, or any row a mark no longer names, is found here. Work stranded before it had
    /// any outbox row (<see cref="IStrandedWork"/>) is written first, and its dossiers dispatched too.
    /// </summary>
    private async Task<int> ScanAllAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var stranded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var work in strandedWork) stranded.UnionWith(await work.RepairAsync(cutoff, cancellationToken));
        var prefix = DossierRows.OutboxPrefix;
        var filter = TableClient.CreateQueryFilter($"RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}");
        await foreach (var row in tables.Dossiers.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "Timestamp"], cancellationToken: cancellationToken))
        {
            if (row.Timestamp < cutoff) stranded.Add(row.PartitionKey);
        }
        var total = 0;
        foreach (var code in stranded) total += await RecoverAsync(code, pendingMark: null, cancellationToken);
        OutboxLog.Scanned(logger, stranded.Count, total);
        return total;
    }

    private async Task<int> RecoverAsync(string dossierCode, ETag? pendingMark, CancellationToken cancellationToken)
    {
        var sent = await DispatchAsync(dossierCode, pendingMark, cancellationToken);
        if (sent > 0) OutboxLog.Recovered(logger, dossierCode, sent);
        return sent;
    }

    private async Task<List<OutboxEntity>> UnsentAsync(string dossierCode, CancellationToken cancellationToken)
    {
        var rows = new List<OutboxEntity>();
        await foreach (var row in tables.Dossiers.QueryAsync<OutboxEntity>(
            DossierRows.PrefixFilter(dossierCode, DossierRows.OutboxPrefix), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }
        return rows;
    }

    private async Task<int> SendAndRemoveAsync(string dossierCode, IReadOnlyList<OutboxEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            var properties = row.TraceParent is null ? null : new Dictionary<string, string> { [MessageProperties.TraceParent] = row.TraceParent };
            await transport.SendAsync(row.Queue, new OutgoingMessage(row.MessageId, row.Subject, BinaryData.FromString(row.Body),
                CorrelationId: dossierCode, Properties: properties), cancellationToken);
        }

        foreach (var chunk in rows.Chunk(100))
        {
            try
            {
                await tables.Dossiers.SubmitTransactionAsync(
                    chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // A concurrent dispatch (request and sweep) removed some rows first; remove the rest one by one.
                foreach (var row in chunk)
                {
                    try { await tables.Dossiers.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken); }
                    catch (RequestFailedException gone) when (gone.Status == 404) { }
                }
            }
        }
        return rows.Count;
    }
}

public static class MessageProperties
{
    /// <summary>W3C trace context, so one trace follows a dossier from the request through the queue.</summary>
    public const string TraceParent = "traceparent";
}

internal static partial class OutboxLog
{
    [LoggerMessage(1, LogLevel.Warning, "Outbox sweep sent {Count} messages left behind for dossier {DossierCode}")]
    public static partial void Recovered(ILogger logger, string dossierCode, int count);

    [LoggerMessage(2, LogLevel.Warning, "Sending the outbox of dossier {DossierCode} failed; the sweep will send it")]
    public static partial void DispatchFailed(ILogger logger, string dossierCode, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "Outbox scan of every dossier found {Dossiers} with messages left behind and sent {Count}")]
    public static partial void Scanned(ILogger logger, int dossiers, int count);
}
