using Azure;
using Azure.Data.Tables;
using MotCua.Domain.Correspondence;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>
/// Rows of one agency's incoming correspondence, all in one partition of the dossier table
/// (<c>IN-{agency}</c>): each document and its history, the register's counter per year and its
/// entries, a marker per electronic source document, and the outbox. So registering (the counter,
/// the entry, the document, its history and its messages) is one batch: a number is never skipped,
/// never given twice, and a crash leaves either all of it or none.
/// </summary>
public static class IncomingRows
{
    public const string DocumentPrefix = "doc|";
    public const string RegisterPrefix = "register|";

    public static string Partition(string agency) => "IN-" + agency;

    public static string Document(string id) => DocumentPrefix + id;

    public static string History(string id, int sequence) => $"history|{id}|{sequence:D6}";

    public static string HistoryPrefix(string id) => $"history|{id}|";

    public static string Counter(int year) => $"counter|{year}";

    public static string RegisterEntry(int year, int number) => $"{RegisterPrefix}{year}|{number:D6}";

    /// <summary>One row per source document (its QCVN identifier's SHA-256): the same document is not received twice.</summary>
    public static string Source(string qcvnDocumentId) =>
        "source|" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(qcvnDocumentId)));

    /// <summary>Every row key that starts with <paramref name="prefix"/> in the agency's partition.</summary>
    public static string PrefixFilter(string agency, string prefix) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {Partition(agency)} and RowKey ge {prefix} and RowKey lt {prefix[..^1] + (char)(prefix[^1] + 1)}");
}

/// <summary>An incoming document (văn bản đến): what it is, where it stands, who directs and handles it.</summary>
public sealed class IncomingDocumentEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Id { get; set; } = default!;
    public string Agency { get; set; } = default!;
    public int Status { get; set; }

    /// <summary>The number of history entries: the document's version, for If-Match and signed directions.</summary>
    public int Version { get; set; }
    public string LastHistoryHash { get; set; } = default!;

    /// <summary>"electronic" or "paper".</summary>
    public string Channel { get; set; } = default!;
    public bool Secret { get; set; }
    public int Priority { get; set; }
    public DateTimeOffset ArrivedAt { get; set; }
    public string ArrivedBy { get; set; } = default!;

    // What the document says of itself (confirmed by the records clerk for paper).
    public string? SenderId { get; set; }
    public string? SenderName { get; set; }
    public string? Number { get; set; }
    public string? Notation { get; set; }
    /// <summary>yyyy-MM-dd: dates are days, kept as text so no time zone can move them.</summary>
    public string? DocumentDate { get; set; }
    public string? DocumentType { get; set; }
    public string? Summary { get; set; }
    public string? SourceDocumentId { get; set; }

    // Its files: their count, how many the document pipeline has checked, and the worst signature verdict.
    public int FileCount { get; set; }

    /// <summary>The partition of the files' rows in the documents table (and their blobs' folder).</summary>
    public string? FilesOwner { get; set; }
    public int FilesChecked { get; set; }
    public string? FilesRecorded { get; set; }
    public string? SignatureVerdict { get; set; }

    /// <summary>Fields suggested from the first page's text (JSON of <see cref="LetterFields"/>), for paper scans.</summary>
    public string? Suggestion { get; set; }

    // Register.
    public int? RegisterYear { get; set; }
    public int? RegisterNumber { get; set; }
    public DateTimeOffset? RegisteredAt { get; set; }
    public string? RegisteredBy { get; set; }

    // Return.
    public string? ReturnReason { get; set; }

    // Direction (bút phê).
    public DateTimeOffset? DirectedAt { get; set; }
    public string? DirectedBy { get; set; }
    public string? DirectedByName { get; set; }
    public string? OnBehalfOf { get; set; }
    public string? LeadUnit { get; set; }
    public string? LeadUser { get; set; }
    public string? CoHandlers { get; set; }
    public string? Informed { get; set; }
    public string? DueDate { get; set; }
    public string? DirectionComment { get; set; }

    // The person who handles it: the lead person, or whom the lead department's head passed it to.
    public string? Assignee { get; set; }
    public string? AssigneeDueDate { get; set; }
    public string? AssignedBy { get; set; }

    // Handling.
    public string? LastProgress { get; set; }
    public DateTimeOffset? LastProgressAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? FinishedBy { get; set; }
    public string? Result { get; set; }
    public string? ReplyDocumentId { get; set; }
    public bool? FinishedLate { get; set; }

    // Sent from another agency of this deployment: its outgoing document, the one of ours it answers, and a recall.
    public string? OriginOutgoingId { get; set; }
    public string? InReplyToOutgoingId { get; set; }
    public DateTimeOffset? RecalledAt { get; set; }
    public string? RecallReason { get; set; }
    /// <summary>Came through the document exchange: its steps go back to the sender as statuses.</summary>
    public bool ViaExchange { get; set; }
    /// <summary>The answer date the sender asked for (edXML DueDate), yyyy-MM-dd.</summary>
    public string? SenderDueDate { get; set; }

    [System.Runtime.Serialization.IgnoreDataMember]
    public IncomingStatus State => (IncomingStatus)Status;

    [System.Runtime.Serialization.IgnoreDataMember]
    public DateOnly? Due => Days.Parse(DueDate);

    [System.Runtime.Serialization.IgnoreDataMember]
    public DateOnly? AssigneeDue => Days.Parse(AssigneeDueDate);

    /// <summary>The limit the handler works to: their own when the department head set one, else the direction's.</summary>
    [System.Runtime.Serialization.IgnoreDataMember]
    public DateOnly? HandlerDue => AssigneeDue ?? Due;
}

/// <summary>
/// A document's number, notation, date, sender, type and summary, as a scan suggests them; with
/// <see cref="SecretMarked"/> when the page bears a MẬT stamp, so the records clerk takes the scan out.
/// </summary>
public sealed record LetterFields(string? Number, string? Notation, DateOnly? DocumentDate, string? SenderName, string? DocumentType, string? Summary,
    int? Priority = null, bool SecretMarked = false);

/// <summary>One line of the incoming register: số đến, in the agency's partition, added in the registering batch.</summary>
public sealed class RegisterEntryEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string DocumentId { get; set; } = default!;
    public int Year { get; set; }
    public int Number { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
}

public sealed class IncomingHistoryEntity : ITableEntity
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

    public IncomingHistoryEntry ToEntry() =>
        new(Sequence, At, Actor, Action, (IncomingStatus)FromStatus, (IncomingStatus)ToStatus, Comment, Details, PreviousHash, Hash);

    public static IncomingHistoryEntity From(string agency, string id, IncomingHistoryEntry e) => new()
    {
        PartitionKey = IncomingRows.Partition(agency),
        RowKey = IncomingRows.History(id, e.Sequence),
        Sequence = e.Sequence,
        At = e.At,
        Actor = e.Actor,
        Action = e.Action,
        FromStatus = (int)e.From,
        ToStatus = (int)e.To,
        Comment = e.Comment,
        Details = e.Details,
        PreviousHash = e.PreviousHash,
        Hash = e.Hash,
    };
}

/// <summary>Days as stored: ISO text.</summary>
public static class Days
{
    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day : null;
}
