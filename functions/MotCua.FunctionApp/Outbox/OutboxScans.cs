using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Outbox;

/// <summary>
/// When the whole dossier table was last scanned for unsent messages. The row is claimed under its
/// ETag, so of several instances running the sweep one scans; a new deployment (no row yet) scans
/// at its first sweep.
/// </summary>
public sealed class OutboxScans(MotCuaTables tables, IOptions<OutboxOptions> options, TimeProvider time)
{
    private const string Partition = "sweep";
    private const string Row = "full-scan";

    public async Task<bool> TryStartAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var record = new TableEntity(Partition, Row) { ["StartedAt"] = now };
        var existing = await tables.Outbox.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
        try
        {
            if (!existing.HasValue)
            {
                await tables.Outbox.AddEntityAsync(record, cancellationToken);
                return true;
            }
            if (now - (existing.Value!.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue) < options.Value.FullScanInterval) return false;
            await tables.Outbox.UpdateEntityAsync(record, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false; // another instance started the scan
        }
    }
}
