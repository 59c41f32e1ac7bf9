using Azure;
using Azure.Data.Tables;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// An official known to belong to a unit (PartitionKey = unit, RowKey = user id). Identity lives in
/// the tokens, so the directory of a unit's officials is learned from their signed-in requests.
/// </summary>
public sealed class MemberEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Role { get; set; } = default!;

    /// <summary>Every role, space-separated; rows written before people held several roles have only <see cref="Role"/>.</summary>
    public string? Roles { get; set; }
    public string Name { get; set; } = default!;
    public DateTimeOffset LastSeen { get; set; }

    public IEnumerable<string> AllRoles() => Roles is null ? [Role] : Roles.Split(' ');
}

/// <summary>
/// A phone's FCM registration (PartitionKey = "u:" + user id, RowKey = device id, from the SHA-256 of the token).
/// Beside it, PartitionKey = "owner", RowKey = device id names the user who holds the token now.
/// </summary>
public sealed class DeviceEntity : ITableEntity
{
    public const string OwnerPartition = "owner";

    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Token { get; set; } = string.Empty;
    public string Platform { get; set; } = string.Empty;
    public string AppVersion { get; set; } = string.Empty;
    public string Locale { get; set; } = "vi";
    public string UserId { get; set; } = string.Empty;
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One notification in a user's inbox (PartitionKey = user id). The RowKey starts with the inverted
/// time, so a partition reads newest first, and ends with what caused it, so the same cause writes
/// the same row: a repeated message cannot add a second one.
/// </summary>
public sealed class InboxEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Kind { get; set; } = default!;

    /// <summary>The dossier the notification is about; empty when it is about an incoming or outgoing document.</summary>
    public string DossierCode { get; set; } = default!;

    /// <summary>The incoming (văn bản đến, <c>IN-…</c>) or outgoing (văn bản đi, <c>OUT-…</c>) document the notification is about, if any.</summary>
    public string? DocumentId { get; set; }
    public string Title { get; set; } = default!;
    public string Body { get; set; } = default!;
    public int Status { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public bool Read { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>
/// One push of one notification to one device (PartitionKey = user id + notification, RowKey =
/// device id): written before the request to FCM, so a retried step never pushes it again.
/// </summary>
public sealed class PushEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string State { get; set; } = default!;
    public string? Detail { get; set; }
}
