using Azure;
using Azure.Data.Tables;
using MotCua.Domain.Workflow;

namespace MotCua.FunctionApp.Catalog;

/// <summary>A document the applicant provides (thành phần hồ sơ).</summary>
public sealed record DocumentComponent(string Name, bool Original, bool Mandatory, bool SignatureRequired);

/// <summary>
/// One version of a procedure (thủ tục hành chính). Dossiers keep the version they were received
/// under, so a later change of workflow or deadline never rewrites a dossier in flight.
/// </summary>
public sealed record Procedure(
    string Code,
    int Version,
    string Name,
    string Field,
    IReadOnlyList<string> ReceivingUnits,
    IReadOnlyList<DocumentComponent> Components,
    decimal ProcessingDays,
    decimal Fee,
    string OnlineLevel,
    IReadOnlyList<WorkflowStep> Workflow);

/// <summary>
/// An agency (cơ quan) or, with <see cref="IsDepartment"/>, a department inside its parent agency
/// (phòng, ban). Registers and numbers belong to agencies; people belong to either.
/// </summary>
/// <param name="Abbreviation">What notations of its documents carry ("UBND", "VHXH"); derived from the name when not set.</param>
public sealed record Unit(string AgencyCode, string Name, string? Parent, bool IsDepartment = false, string? Abbreviation = null);

/// <summary>
/// Catalogue rows, all in small partitions read whole: "procedure" holds for each code a current
/// row (RowKey = code) and its immutable versions (RowKey = code|v000001), written in one batch;
/// "unit" holds the unit tree.
/// </summary>
public sealed class CatalogEntity : ITableEntity
{
    public const string ProcedurePartition = "procedure";
    public const string UnitPartition = "unit";
    public const string CurrentKind = "current";
    public const string VersionKind = "version";

    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Name { get; set; } = default!;
    public string? Kind { get; set; }
    public int Version { get; set; }
    public string? Definition { get; set; }
    public string? Parent { get; set; }
    public bool? IsDepartment { get; set; }
    public string? Abbreviation { get; set; }

    public static string VersionKey(string code, int version) => $"{code}|v{version:D6}";
}
