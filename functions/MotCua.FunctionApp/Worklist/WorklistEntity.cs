using Azure;
using Azure.Data.Tables;

namespace MotCua.FunctionApp.Worklist;

/// <summary>
/// A dossier in someone's list: PartitionKey "holder|{unit}" (the unit holding it now) or
/// "owner|{user}" (the citizen who submitted it), RowKey the dossier code.
/// </summary>
public sealed class WorklistEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public int Sequence { get; set; }
    public int Status { get; set; }
    public int Step { get; set; }
    public string? StepName { get; set; }
    public string? StepRole { get; set; }
    public DateTimeOffset? StepDueAt { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public string ProcedureName { get; set; } = default!;
    public string ApplicantName { get; set; } = default!;
    public string ReceivingUnit { get; set; } = default!;
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A tombstone: the dossier left this list at <see cref="Sequence"/>, so older events cannot bring it back.</summary>
    public bool Removed { get; set; }

    public static string Holder(string unit) => "holder|" + unit;

    public static string Owner(string userId) => "owner|" + userId;
}
