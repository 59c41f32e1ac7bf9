using Azure;
using Azure.Data.Tables;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>Row keys inside a dossier's partition (PartitionKey = dossier code).</summary>
public static class DossierRows
{
    public const string Dossier = "dossier";
    public const string HistoryPrefix = "history-";
    public const string OutboxPrefix = "outbox-";

    public static string History(int sequence) => $"{HistoryPrefix}{sequence:D6}";

    public static string Outbox(string messageId) => OutboxPrefix + messageId;

    /// <summary>Every row key that starts with <paramref name="prefix"/>: ASCII '-' + 1 is '.'.</summary>
    public static string PrefixFilter(string partition, string prefix) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}");
}

public sealed class DossierEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = DossierRows.Dossier;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string DossierId { get; set; } = default!;
    public string ProcedureCode { get; set; } = default!;
    public int ProcedureVersion { get; set; }
    public string ProcedureName { get; set; } = default!;
    public string ReceivingUnit { get; set; } = default!;
    public string Channel { get; set; } = default!;
    public string SubmittedBy { get; set; } = default!;
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Status { get; set; }
    public int DocumentCount { get; set; }
    /// <summary>The number of history entries: the dossier's version, for If-Match and signed approvals.</summary>
    public int HistoryCount { get; set; }
    public string LastHistoryHash { get; set; } = default!;

    /// <summary>Who may withdraw and follow the dossier online: the citizen who submitted it (empty at the counter).</summary>
    public string OwnerId { get; set; } = string.Empty;
    public string LookupPin { get; set; } = default!;
    public string HolderUnit { get; set; } = default!;
    public int Step { get; set; } = -1;
    public int? ResumeTo { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? PausedAt { get; set; }
    public long? LeftAtPauseTicks { get; set; }
    public DateTimeOffset? StepStartedAt { get; set; }
    public DateTimeOffset? StepDueAt { get; set; }
    public DateTimeOffset? StepPausedAt { get; set; }
    public long? StepLeftAtPauseTicks { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Timeliness { get; set; }

    /// <summary>When the dossier was refused, withdrawn or stopped: the period whose figures it leaves.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Steps left after their due time (JSON list of <c>LostTime</c>), so reports need not read the history.</summary>
    public string? LostTime { get; set; }

    public string ApplicantName { get; set; } = default!;
    public string ApplicantNameFolded { get; set; } = default!;
    public string ApplicantIdNumber { get; set; } = default!;
    public string? ApplicantPhone { get; set; }
    public string? ApplicantEmail { get; set; }
    public string? ApplicantAddress { get; set; }

    /// <summary>The documents whose addition is in the history (space-separated ids): recorded once, even after a retry.</summary>
    public string DocumentIds { get; set; } = string.Empty;

    /// <summary>Documents whose processing outcome is in the history (space-separated ids), so it is recorded once.</summary>
    public string DocumentsRecorded { get; set; } = string.Empty;

    /// <summary>JSON list of component numbers that require a signature and whose documents have no valid one.</summary>
    public string? UnsignedComponents { get; set; }

    public int DocumentsFailed { get; set; }
}

public sealed class HistoryEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public int Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    public string Actor { get; set; } = default!;
    public string Action { get; set; } = default!;
    public int FromStatus { get; set; }
    public int ToStatus { get; set; }
    public string Comment { get; set; } = default!;
    public string CausedBy { get; set; } = default!;
    public string Details { get; set; } = string.Empty;
    public string PreviousHash { get; set; } = default!;
    public string Hash { get; set; } = default!;
}

public sealed class DocumentEntity : ITableEntity
{
    /// <summary>The dossier id: documents are written before the dossier's code-keyed batch.</summary>
    public string PartitionKey { get; set; } = default!;

    /// <summary>The document id.</summary>
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string DossierCode { get; set; } = default!;
    public string FileName { get; set; } = default!;
    public string ContentType { get; set; } = default!;
    public long Length { get; set; }
    public string Sha256 { get; set; } = default!;
    public string BlobName { get; set; } = default!;
    public DateTimeOffset UploadedAt { get; set; }

    /// <summary>Set when the blob-created event for this document has been handled.</summary>
    public DateTimeOffset? StoredAt { get; set; }

    /// <summary>The kind judged from the bytes (<c>DocumentKinds.Slug</c>).</summary>
    public string Kind { get; set; } = "pdf";

    /// <summary>The procedure component (1-based) the document provides; null when the sender did not say.</summary>
    public int? Component { get; set; }

    /// <summary>How far processing has come (<see cref="Documents.DocumentStages"/>).</summary>
    public string Stage { get; set; } = Documents.DocumentStages.Stored;

    /// <summary>Why processing stopped (<c>TextFailures</c> codes); null while all is well.</summary>
    public string? FailureCode { get; set; }
    public string? FailureDetail { get; set; }

    public string? SignatureVerdict { get; set; }

    /// <summary>Why the document as a whole has its verdict, when no single signature says (a damaged file, a detached signature without its content).</summary>
    public string? SignatureReason { get; set; }

    /// <summary>JSON list of <c>SignatureReport</c>.</summary>
    public string? Signatures { get; set; }

    /// <summary>For a detached signature: the document of the dossier it signs.</summary>
    public string? SignsDocumentId { get; set; }

    public int? PageCount { get; set; }
    public int? TextLayerPages { get; set; }
    public int? OcrPages { get; set; }
    public int? FailedPages { get; set; }
    public double? OcrConfidence { get; set; }

    /// <summary>The blob's ETag when it was accepted; every step downloads on that condition, so replaced bytes are never read as these.</summary>
    public string? BlobETag { get; set; }

    /// <summary>Direct uploads: what the app announced, checked when it confirms, and until when it may upload.</summary>
    public long? ExpectedLength { get; set; }
    public string? ExpectedSha256 { get; set; }
    public DateTimeOffset? UploadExpiresAt { get; set; }
}

/// <summary>One page of a document's text (PartitionKey = document id, RowKey = page number).</summary>
public sealed class PageEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public int Number { get; set; }
    public string Text { get; set; } = string.Empty;
    public string Source { get; set; } = default!;
    public double? Confidence { get; set; }
    public string? Error { get; set; }

    public static string Key(int number) => number.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
}
