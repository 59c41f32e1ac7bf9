using Azure;
using Azure.Data.Tables;

namespace MotCua.FunctionApp.Issuance;

/// <summary>Where a dossier's result is on its way to the citizen.</summary>
public enum ResultStage
{
    /// <summary>Attached by the specialist; not signed.</summary>
    Draft = 1,

    /// <summary>Signed by the competent person (the chairman's approval); waiting for the agency's seal.</summary>
    PersonSigned = 2,

    /// <summary>Signed by the person and sealed by the agency: the citizen can download it.</summary>
    Issued = 3,

    /// <summary>Issued, then cancelled with a reason; its public check says so.</summary>
    Cancelled = 4,
}

/// <summary>
/// A dossier's result, a row in the dossier's own partition, so it changes in the same batch as the
/// dossier's status and history: an approval signs it, a finish asks for the seal.
/// </summary>
public sealed class ResultEntity : ITableEntity
{
    public const string Row = "result";

    /// <summary>The dossier code.</summary>
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = Row;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public int Stage { get; set; }

    /// <summary>Counts attachments; blob names carry it, so a replaced draft never mixes with the old one's files.</summary>
    public int Revision { get; set; }

    /// <summary>The unguessable identifier of the public check, printed as a QR code on the document.</summary>
    public string CheckId { get; set; } = default!;

    public string FileName { get; set; } = default!;
    public string DraftBlob { get; set; } = default!;
    public string DraftSha256 { get; set; } = default!;
    public long DraftLength { get; set; }
    public string AttachedBy { get; set; } = default!;
    public DateTimeOffset AttachedAt { get; set; }

    public string? PersonSignedBlob { get; set; }
    public string? PersonSignerId { get; set; }
    public string? PersonSignerName { get; set; }
    public DateTimeOffset? PersonSignedAt { get; set; }

    public DateTimeOffset? SealRequestedAt { get; set; }
    public string? IssuedBlob { get; set; }
    public string? IssuedSha256 { get; set; }
    public long? IssuedLength { get; set; }
    public DateTimeOffset? IssuedAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }
    public string? CancelledBy { get; set; }
    public string? CancelReason { get; set; }

    public ResultStage StageValue => (ResultStage)Stage;
}
