using Azure;
using Azure.Data.Tables;

namespace MotCua.FunctionApp.Catalog;

public sealed record Procedure(string Code, string Name, string Field, IReadOnlyList<string> ReceivingUnits, int ProcessingDays);

public sealed record Unit(string AgencyCode, string Name, string? Parent);

/// <summary>Catalogue rows: PartitionKey "procedure" or "unit", RowKey the code.</summary>
public sealed class CatalogEntity : ITableEntity
{
    public const string ProcedurePartition = "procedure";
    public const string UnitPartition = "unit";

    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Name { get; set; } = default!;
    public string? Field { get; set; }
    public string? ReceivingUnits { get; set; }
    public int ProcessingDays { get; set; }
    public string? Parent { get; set; }
}
