using System.Collections.Concurrent;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Catalog;

/// <summary>
/// Procedures and units. Procedures change rarely and every submission reads one, so a read is
/// kept for a minute.
/// </summary>
public sealed class ProcedureCatalog(MotCuaTables tables, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (Procedure? Procedure, DateTimeOffset ReadAt)> _cache = new();

    public async Task<Procedure?> FindProcedureAsync(string code, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(code, out var cached) && now - cached.ReadAt < CacheFor) return cached.Procedure;

        var row = await tables.Catalog.GetEntityIfExistsAsync<CatalogEntity>(CatalogEntity.ProcedurePartition, code, cancellationToken: cancellationToken);
        var procedure = row.HasValue
            ? new Procedure(code, row.Value!.Name, row.Value.Field ?? string.Empty,
                (row.Value.ReceivingUnits ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries), row.Value.ProcessingDays)
            : null;
        _cache[code] = (procedure, now);
        return procedure;
    }

    public Task UpsertProcedureAsync(Procedure procedure, CancellationToken cancellationToken)
    {
        _cache.TryRemove(procedure.Code, out _);
        return tables.Catalog.UpsertEntityAsync(new CatalogEntity
        {
            PartitionKey = CatalogEntity.ProcedurePartition,
            RowKey = procedure.Code,
            Name = procedure.Name,
            Field = procedure.Field,
            ReceivingUnits = string.Join(',', procedure.ReceivingUnits),
            ProcessingDays = procedure.ProcessingDays,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public Task UpsertUnitAsync(Unit unit, CancellationToken cancellationToken) =>
        tables.Catalog.UpsertEntityAsync(new CatalogEntity
        {
            PartitionKey = CatalogEntity.UnitPartition,
            RowKey = unit.AgencyCode,
            Name = unit.Name,
            Parent = unit.Parent,
        }, TableUpdateMode.Replace, cancellationToken);
}
