using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Outbox;

/// <summary>
/// When the whole dossier table was last scanned for unsent messages. The row is claimed under its
/// ETag, so of several instances running the sweep one scans; a new deployment (no row yet) scans
/// at its first sweep, and a scan that never finished (its instance died, storage failed) is taken
/// up again at a later sweep rather than after the full interval.
/// </summary>
public sealed class OutboxScans(MotCuaTables tables, IOptions<OutboxOptions> options, TimeProvider time)
{
    private const string Partition = "sweep";
    private const string Row = "full-scan";

    /// <summary>A started scan that has not finished after this long is taken to have died.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(15);

    /// <summary>Claims the next scan, or returns null when it is not due or another instance runs it.</summary>
    public async Task<ETag?> TryStartAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new TableEntity(Partition, Row) { ["StartedAt"] = now, ["Finished"] = false };
        var existing = await tables.Outbox.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
        try
        {
            if (!existing.HasValue) return (await tables.Outbox.AddEntityAsync(record, cancellationToken)).Headers.ETag;
            var last = existing.Value!;
            var since = now - (last.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue);
            var due = last.GetBoolean("Finished") == false ? since >= Abandoned : since >= options.Value.FullScanInterval;
            if (!due) return null;
            return (await tables.Outbox.UpdateEntityAsync(record, last.ETag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null; // another instance started the scan
        }
    }

    public async Task FinishAsync(ETag started, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Outbox.UpdateEntityAsync(new TableEntity(Partition, Row) { ["Finished"] = true }, started, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Taken to have died and started again elsewhere: that scan records its own end.
        }
    }
}
