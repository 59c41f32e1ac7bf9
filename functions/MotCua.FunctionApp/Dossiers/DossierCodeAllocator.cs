using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>
/// Per-unit daily sequence numbers from an ETag-checked counter row: whatever the number of
/// instances, a number is handed out once. Within one instance, increments of a counter are
/// serialised and the last ETag is kept, so the common case is one conditional write.
/// </summary>
public sealed class DossierCodeAllocator(MotCuaTables tables)
{
    private const int MaxAttempts = 50;
    private readonly ConcurrentDictionary<string, CounterSlot> _slots = new();

    public async Task<DossierCode> NextAsync(string agencyCode, DateOnly day, CancellationToken cancellationToken)
    {
        var rowKey = day.ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var slot = _slots.GetOrAdd(agencyCode, _ => new CounterSlot());
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                if (slot.Day != rowKey)
                {
                    var existing = await tables.Counters.GetEntityIfExistsAsync<TableEntity>(agencyCode, rowKey, cancellationToken: cancellationToken);
                    (slot.Day, slot.Value, slot.ETag) = existing.HasValue
                        ? (rowKey, existing.Value!.GetInt32("Value") ?? 0, existing.Value.ETag)
                        : (rowKey, 0, default(ETag?));
                }

                var next = slot.Value + 1;
                var entity = new TableEntity(agencyCode, rowKey) { ["Value"] = next };
                try
                {
                    var response = slot.ETag is { } etag
                        ? await tables.Counters.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken)
                        : await tables.Counters.AddEntityAsync(entity, cancellationToken);
                    (slot.Value, slot.ETag) = (next, response.Headers.ETag);
                    return new DossierCode(agencyCode, day, next);
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    slot.Day = null; // another instance moved the counter: read it again
                }
            }
            throw new InvalidOperationException($"The dossier counter of {agencyCode} is too contended.");
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private sealed class CounterSlot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public string? Day { get; set; }
        public int Value { get; set; }
        public ETag? ETag { get; set; }
    }
}
