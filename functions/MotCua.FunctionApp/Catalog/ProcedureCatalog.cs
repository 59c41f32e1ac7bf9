using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Catalog;

/// <summary>
/// Procedures and units. Every submission reads a procedure's current version, so that read is
/// kept for a minute; a numbered version never changes, so it is kept for good.
/// </summary>
public sealed class ProcedureCatalog(MotCuaTables tables, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, (Procedure? Procedure, DateTimeOffset ReadAt)> _current = new();
    private readonly ConcurrentDictionary<(string, int), Procedure> _versions = new();
    private readonly ConcurrentDictionary<string, (IReadOnlyDictionary<string, Unit> Units, DateTimeOffset ReadAt)> _units = new();

    /// <summary>Procedure codes (national ones look like 1.001193): at most 40 letters, digits, '.', '-' or '_'.</summary>
    public static bool IsValidCode(string? code) =>
        !string.IsNullOrEmpty(code) && code.Length <= 40 && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    public static Domain.Dossiers.FieldError CodeError(string field) =>
        new(field, "Mã thủ tục tối đa 40 ký tự chữ, số, '.', '-' hoặc '_'.", "A procedure code has at most 40 letters, digits, '.', '-' or '_'.");

    public async Task<Procedure?> FindProcedureAsync(string code, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_current.TryGetValue(code, out var cached) && now - cached.ReadAt < CacheFor) return cached.Procedure;
        var row = await tables.Catalog.GetEntityIfExistsAsync<CatalogEntity>(CatalogEntity.ProcedurePartition, code, cancellationToken: cancellationToken);
        // Misses are not kept: unknown codes must not grow the cache. A row without a definition predates
        // versioned procedures and counts as absent, so publishing replaces it.
        if (!row.HasValue || row.Value!.Definition is null) return null;
        var procedure = Parse(row.Value!);
        _current[code] = (procedure, now);
        return procedure;
    }

    public async Task<Procedure?> FindVersionAsync(string code, int version, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue((code, version), out var cached)) return cached;
        var row = await tables.Catalog.GetEntityIfExistsAsync<CatalogEntity>(
            CatalogEntity.ProcedurePartition, CatalogEntity.VersionKey(code, version), cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        return _versions[(code, version)] = Parse(row.Value!);
    }

    public async Task<IReadOnlyList<Procedure>> ListProceduresAsync(CancellationToken cancellationToken)
    {
        var list = new List<Procedure>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CatalogEntity.ProcedurePartition} and Kind eq {CatalogEntity.CurrentKind}");
        await foreach (var row in tables.Catalog.QueryAsync<CatalogEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.Definition is not null) list.Add(Parse(row));
        }
        return list;
    }

    /// <summary>
    /// Publishes <paramref name="procedure"/> as the next version. <paramref name="expectedVersion"/>
    /// (when given) must be the current one: two admins editing at once, one wins.
    /// </summary>
    public async Task<Procedure> PublishAsync(Procedure procedure, int? expectedVersion, CancellationToken cancellationToken)
    {
        var current = await tables.Catalog.GetEntityIfExistsAsync<CatalogEntity>(CatalogEntity.ProcedurePartition, procedure.Code, cancellationToken: cancellationToken);
        var currentVersion = current.HasValue ? current.Value!.Version : 0;
        if (expectedVersion is { } expected && expected != currentVersion) throw new CatalogConflictException(currentVersion);

        var published = procedure with { Version = currentVersion + 1 };
        var definition = JsonSerializer.Serialize(published, Json);
        var head = new CatalogEntity
        {
            PartitionKey = CatalogEntity.ProcedurePartition, RowKey = published.Code, Kind = CatalogEntity.CurrentKind,
            Name = published.Name, Version = published.Version, Definition = definition,
        };
        var version = new CatalogEntity
        {
            PartitionKey = CatalogEntity.ProcedurePartition, RowKey = CatalogEntity.VersionKey(published.Code, published.Version),
            Kind = CatalogEntity.VersionKind, Name = published.Name, Version = published.Version, Definition = definition,
        };
        try
        {
            await tables.Catalog.SubmitTransactionAsync(
            [
                current.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, head, current.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, head),
                new TableTransactionAction(TableTransactionActionType.Add, version),
            ], cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            throw new CatalogConflictException(currentVersion);
        }
        _current.TryRemove(published.Code, out _);
        return published;
    }

    public async Task<IReadOnlyDictionary<string, Unit>> UnitsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_units.TryGetValue("all", out var cached) && now - cached.ReadAt < CacheFor) return cached.Units;
        var units = new Dictionary<string, Unit>();
        await foreach (var row in tables.Catalog.QueryAsync<CatalogEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {CatalogEntity.UnitPartition}"), cancellationToken: cancellationToken))
        {
            units[row.RowKey] = new Unit(row.RowKey, row.Name, row.Parent, row.IsDepartment ?? false, row.Abbreviation);
        }
        _units["all"] = (units, now);
        return units;
    }

    /// <summary>The agency a unit belongs to: itself, or the agency above its department; null for an unknown unit.</summary>
    public async Task<Unit?> AgencyOfAsync(string? unitCode, CancellationToken cancellationToken)
    {
        if (unitCode is null) return null;
        var units = await UnitsAsync(cancellationToken);
        var unit = units.GetValueOrDefault(unitCode);
        while (unit is { IsDepartment: true, Parent: { } parent }) unit = units.GetValueOrDefault(parent);
        return unit;
    }

    public async Task UpsertUnitAsync(Unit unit, CancellationToken cancellationToken)
    {
        _units.Clear();
        await tables.Catalog.UpsertEntityAsync(new CatalogEntity
        {
            PartitionKey = CatalogEntity.UnitPartition, RowKey = unit.AgencyCode, Name = unit.Name, Parent = unit.Parent, IsDepartment = unit.IsDepartment ? true : null,
            Abbreviation = unit.Abbreviation,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    private static Procedure Parse(CatalogEntity row) =>
        JsonSerializer.Deserialize<Procedure>(row.Definition ?? throw new InvalidOperationException($"Procedure row {row.RowKey} has no definition."), Json)!;
}

/// <summary>Someone published a newer version first.</summary>
public sealed class CatalogConflictException(int currentVersion) : Exception($"The current version is {currentVersion}.")
{
    public int CurrentVersion { get; } = currentVersion;
}
