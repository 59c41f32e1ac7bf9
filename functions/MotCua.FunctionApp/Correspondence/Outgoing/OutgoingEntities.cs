using Azure;
using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Incoming;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>
/// Rows of one agency's outgoing correspondence, all in one partition of the dossier table
/// (<c>OUT-{agency}</c>): each document, its history and recipients, the counter of each numbering
/// series per year with its register entries, and the outbox. Numbering (the counter, the entry, the
/// document, its history and its event) is one batch: a number is never skipped or given twice.
/// </summary>
public static class OutgoingRows
{
    public const string DocumentPrefix = "doc|";

    public static string Partition(string agency) => "OUT-" + agency;

    public static string Document(string id) => DocumentPrefix + id;

    public static string History(string id, int sequence) => $"history|{id}|{sequence:D6}";

    public static string HistoryPrefix(string id) => $"history|{id}|";

    public static string Recipient(string id, string recipient) => $"recipient|{id}|{recipient}";

    public static string RecipientPrefix(string id) => $"recipient|{id}|";

    public static string Counter(int year, string series) => $"counter|{year}|{series}";

    public static string RegisterEntry(int year, string series, int number) => $"register|{year}|{series}|{number:D6}";

    public static string PrefixFilter(string agency, string prefix) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {Partition(agency)} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}");
}

/// <summary>An agency's own document (văn bản đi) from draft to issue.</summary>
public sealed class OutgoingDocumentEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Id { get; set; } = default!;
    public string Agency { get; set; } = default!;
    public int Status { get; set; }
    public int Version { get; set; }
    public string LastHistoryHash { get; set; } = default!;

    // What it is.
    public string DocumentType { get; set; } = default!;
    public bool LegalNormative { get; set; }
    public bool Secret { get; set; }
    public int Priority { get; set; }
    public string Summary { get; set; } = default!;
    public string? DueDate { get; set; }
    public string? AnswersIncomingId { get; set; }
    /// <summary>JSON of the recipients as drafted (<see cref="RecipientForm"/> list).</summary>
    public string Recipients { get; set; } = "[]";
    /// <summary>"Nơi nhận" lines printed on the document beyond the recipients (JSON list).</summary>
    public string? OtherRecipients { get; set; }

    // Who drafts, reviews and signs.
    public string DraftedBy { get; set; } = default!;
    public string DraftedByName { get; set; } = default!;
    public string DraftingUnit { get; set; } = default!;
    public DateTimeOffset DraftedAt { get; set; }
    public string? Reviewer { get; set; }
    public string Signer { get; set; } = default!;
    /// <summary>KT., TM., TUQ., TL. or none (the head of the agency signing in their own name).</summary>
    public string? SigningAuthority { get; set; }
    public string? SignerPosition { get; set; }

    // The main file and its attachments: revision changes whenever a file is replaced.
    public int Revision { get; set; }
    public string? DraftBlob { get; set; }
    public string? DraftSha256 { get; set; }
    public long DraftLength { get; set; }
    public string? FileName { get; set; }
    /// <summary>JSON of the attachments (<see cref="OutgoingAttachment"/> list).</summary>
    public string Attachments { get; set; } = "[]";

    public string? LastComment { get; set; }

    // Signed by the person.
    public string? SignedBlob { get; set; }
    public string? SignedBy { get; set; }
    public string? SignedByName { get; set; }
    public DateTimeOffset? SignedAt { get; set; }

    // Numbered by the records clerk.
    public string? Series { get; set; }
    public int? Year { get; set; }
    public int? Number { get; set; }
    public string? Notation { get; set; }
    public string? IssueDate { get; set; }
    public string? NumberedBy { get; set; }

    // Issued: sealed by the agency and sent.
    public string? IssuedBlob { get; set; }
    public string? IssuedSha256 { get; set; }
    public long? IssuedLength { get; set; }
    public DateTimeOffset? IssuedAt { get; set; }
    /// <summary>JSON of the attachments as issued, each sealed with the copy stamp (<see cref="OutgoingAttachment"/> list).</summary>
    public string? IssuedAttachments { get; set; }

    public DateTimeOffset? RecalledAt { get; set; }
    public string? RecallReason { get; set; }

    /// <summary>The issued document this one replaces, recalled when this one is issued; and, on that one, its replacement.</summary>
    public string? Replaces { get; set; }
    /// <summary>The public check's id its QR code carries (not for secret documents): indexed from the draft on, answered once issued.</summary>
    public string? CheckId { get; set; }
    public string? ReplacedBy { get; set; }

    [System.Runtime.Serialization.IgnoreDataMember]
    public OutgoingStatus State => (OutgoingStatus)Status;

    [System.Runtime.Serialization.IgnoreDataMember]
    public string? Symbol => Number is { } n && Notation is { } notation ? DocumentNumbering.Symbol(n, notation) : null;

    /// <summary>How the document names itself to its recipients and the exchange: issuer, date, number, notation.</summary>
    [System.Runtime.Serialization.IgnoreDataMember]
    public string? QcvnId => Number is { } n && Notation is { } notation && Days.Parse(IssueDate) is { } day
        ? new QcvnDocumentId(Agency, day, DocumentNumbering.Number(n), notation).ToString() : null;
}

/// <summary>An attachment (phụ lục) as drafted, sealed with the copy stamp when the document is issued.</summary>
public sealed record OutgoingAttachment(string FileName, string Blob, long Length, string Sha256);

/// <summary>
/// One recipient of an issued document and where it stands there: the standard's status codes (01
/// arrived … 06 finished, 02 refused), never moving backwards; 15 recalled as asked, 16 could not.
/// </summary>
public sealed class OutgoingRecipientEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string DocumentId { get; set; } = default!;
    public string Recipient { get; set; } = default!;
    public string Name { get; set; } = default!;
    /// <summary>Inside this deployment: delivered at once as an incoming document; otherwise through the exchange.</summary>
    public bool Internal { get; set; }
    /// <summary>0 until delivered; then the QCVN 102 status code.</summary>
    public int Status { get; set; }
    /// <summary>The recipient's incoming document's version the status came from, so a stale report changes nothing.</summary>
    public int ReportedVersion { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? IncomingId { get; set; }
    public string? Reason { get; set; }
    public string? ReplyIncomingId { get; set; }
    /// <summary>The answer to the last update of the document's information: 15 applied, 16 could not be (never received, recalled).</summary>
    public int? UpdateAnswer { get; set; }
    public int UpdateVersion { get; set; }
}

public sealed class OutgoingHistoryEntity : ITableEntity
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
    public string Comment { get; set; } = string.Empty;
    public string Details { get; set; } = string.Empty;
    public string PreviousHash { get; set; } = default!;
    public string Hash { get; set; } = default!;
}
