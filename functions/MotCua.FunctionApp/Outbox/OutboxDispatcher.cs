using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Storage;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Outbox;

/// <summary>
/// Sends a dossier's outbox messages, then removes them. A crash after a send and before the
/// removal sends the message again later: handlers recognise it by its message id.
/// </summary>
public sealed class OutboxDispatcher(MotCuaTables tables, IMessageTransport transport, TimeProvider time, ILogger<OutboxDispatcher> logger)
{
    /// <summary>Messages younger than this are left to the request that wrote them.</summary>
    public static readonly TimeSpan SweepAge = TimeSpan.FromSeconds(30);

    /// <summary>Sends the rows a crash may have left in the dossier's partition.</summary>
    public async Task<int> DispatchAsync(string dossierCode, ETag pendingMark, CancellationToken cancellationToken)
    {
        var rows = new List<OutboxEntity>();
        await foreach (var row in tables.Dossiers.QueryAsync<OutboxEntity>(
            DossierRows.PrefixFilter(dossierCode, DossierRows.OutboxPrefix), cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }
        return await DispatchAsync(dossierCode, rows, pendingMark, cancellationToken);
    }

    /// <summary>
    /// Sends rows the caller has just committed, without reading them back, then removes the pending
    /// mark if it is still the one <paramref name="pendingMark"/> names: a later change's mark stays for the sweep.
    /// </summary>
    public async Task<int> DispatchAsync(string dossierCode, IReadOnlyList<OutboxEntity> rows, ETag pendingMark, CancellationToken cancellationToken)
    {
        var sent = new List<OutboxEntity>();
        foreach (var row in rows)
        {
            var properties = row.TraceParent is null ? null : new Dictionary<string, string> { [MessageProperties.TraceParent] = row.TraceParent };
            await transport.SendAsync(row.Queue, new OutgoingMessage(row.MessageId, row.Subject, BinaryData.FromString(row.Body),
                CorrelationId: dossierCode, Properties: properties), cancellationToken);
            sent.Add(row);
        }

        foreach (var chunk in sent.Chunk(100))
        {
            try
            {
                await tables.Dossiers.SubmitTransactionAsync(
                    chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // A concurrent dispatch (request and sweep) removed some rows first; remove the rest one by one.
                foreach (var row in chunk) await tables.Dossiers.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            }
        }
        try
        {
            await tables.Outbox.DeleteEntityAsync(PendingOutbox.Partition, dossierCode, pendingMark, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Another change marked the dossier again after ours: its rows are the sweep's to send.
        }
        return sent.Count;
    }

    /// <summary>Dispatches what a crash left behind; returns the number of messages sent.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - SweepAge;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PendingOutbox.Partition}");
        var total = 0;
        // The partition holds only what is in flight, so reading it whole is cheap; the age is checked here
        // because Azurite does not filter on Timestamp.
        await foreach (var pending in tables.Outbox.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (pending.Timestamp >= cutoff) continue;
            var sent = await DispatchAsync(pending.RowKey, pending.ETag, cancellationToken);
            if (sent > 0) OutboxLog.Recovered(logger, pending.RowKey, sent);
            total += sent;
        }
        return total;
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
}
