using System.Globalization;
using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// One notification. It is about a dossier (<see cref="DossierCode"/>) or, with <see cref="DocumentId"/>, about an incoming
/// document (then <see cref="DossierCode"/> is empty and <see cref="Status"/> is the document's status, 1–6) or an outgoing one
/// (an id starting <c>OUT-</c>, its status 1–8: draft … recalled).
/// </summary>
public sealed record NotificationView(string Id, string Kind, string DossierCode, string Title, string Body, int Status, DateTimeOffset? DueAt,
    DateTimeOffset CreatedAt, bool Read, DateTimeOffset? ReadAt, string DeepLink, string? DocumentId = null)
{
    public static NotificationView Of(InboxEntity e) => new(e.RowKey, e.Kind, e.DossierCode, e.Title, e.Body, e.Status, e.DueAt, e.CreatedAt, e.Read, e.ReadAt,
        PushPayload.LinkOf(e.DossierCode, e.DocumentId), e.DocumentId);
}

public sealed record InboxPage(IReadOnlyList<NotificationView> Items, string? Next);

/// <summary>Each user's notifications, newest first. Every notification is kept here whether or not a push reached a phone.</summary>
public sealed class InboxStore(MotCuaTables tables, TimeProvider time)
{
    /// <summary>The notification's id: newest first by time, then what caused it, so the same cause gives the same id.</summary>
    public static string Id(DateTimeOffset at, string dossierCode, string cause) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{dossierCode}-{cause}");

    /// <summary>Adds the notification; false when the same one is already there.</summary>
    public async Task<bool> AddAsync(InboxEntity notification, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Inbox.AddEntityAsync(notification, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<InboxEntity?> FindAsync(string userId, string id, CancellationToken cancellationToken)
    {
        var row = await tables.Inbox.GetEntityIfExistsAsync<InboxEntity>(userId, id, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<InboxPage> ListAsync(string userId, int pageSize, string? next, bool unreadOnly, CancellationToken cancellationToken)
    {
        var filter = unreadOnly
            ? TableClient.CreateQueryFilter($"PartitionKey eq {userId} and Read eq false")
            : TableClient.CreateQueryFilter($"PartitionKey eq {userId}");
        await foreach (var page in tables.Inbox.QueryAsync<InboxEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(next, pageSize))
        {
            return new InboxPage(page.Values.Select(NotificationView.Of).ToList(), page.ContinuationToken);
        }
        return new InboxPage([], null);
    }

    public async Task<int> UnreadCountAsync(string userId, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in tables.Inbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userId} and Read eq false"),
            select: ["RowKey"], cancellationToken: cancellationToken)) count++;
        return count;
    }

    /// <summary>Marks one notification read; false when the user has no such notification.</summary>
    public async Task<bool> MarkReadAsync(string userId, string id, CancellationToken cancellationToken)
    {
        var row = await FindAsync(userId, id, cancellationToken);
        if (row is null) return false;
        if (row.Read) return true;
        await MarkAsync(row, cancellationToken);
        return true;
    }

    public async Task<int> MarkAllReadAsync(string userId, CancellationToken cancellationToken)
    {
        var marked = 0;
        await foreach (var row in tables.Inbox.QueryAsync<InboxEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userId} and Read eq false"), cancellationToken: cancellationToken))
        {
            await MarkAsync(row, cancellationToken);
            marked++;
        }
        return marked;
    }

    private async Task MarkAsync(InboxEntity row, CancellationToken cancellationToken)
    {
        var update = new TableEntity(row.PartitionKey, row.RowKey) { ["Read"] = true, ["ReadAt"] = time.GetUtcNow() };
        await tables.Inbox.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }
}
