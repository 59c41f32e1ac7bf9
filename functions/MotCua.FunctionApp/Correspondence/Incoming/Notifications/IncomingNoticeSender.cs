using MotCua.FunctionApp.Notifications;

namespace MotCua.FunctionApp.Correspondence.Incoming.Notifications;

/// <summary>
/// Puts notices about incoming documents in the officials' inboxes and on their phones, through the
/// same inbox and push steps as dossiers' notifications. A row's id comes from what caused it (the
/// event's version, or the reminder), so doing it again writes nothing new.
/// </summary>
public sealed class IncomingNoticeSender(MemberDirectory members, Notifier notifier, TimeProvider time)
{
    /// <summary>
    /// The officials behind the targets, each once, for the first target naming them; never the actor for their own act.
    /// A unit's officials are those the member directory knows with one of the roles.
    /// </summary>
    public async Task<IReadOnlyList<(string UserId, IncomingTarget Target)>> ResolveAsync(IEnumerable<IncomingTarget> targets, string? actor,
        CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var recipients = new List<(string, IncomingTarget)>();
        foreach (var target in targets)
        {
            IReadOnlyList<string> people = target.UnitRoles is { } roles ? await members.OfficialsAsync(target.Id, roles, cancellationToken) : [target.Id];
            foreach (var userId in people.Order(StringComparer.Ordinal))
            {
                if (userId != actor && seen.Add(userId)) recipients.Add((userId, target));
            }
        }
        return recipients;
    }

    /// <summary>The inbox row id: newest first by the cause's time, then the document and the cause.</summary>
    public static string RowKey(DateTimeOffset at, string documentId, string cause) => InboxStore.Id(at, documentId, cause);

    public Task SendAsync(string documentId, string userId, IncomingNotice notice, int status, DateTimeOffset? dueAt, string rowKey, CancellationToken cancellationToken) =>
        notifier.DeliverAsync(userId, locale =>
        {
            var (title, body) = IncomingNoticeTemplates.Render(notice, locale);
            return new InboxEntity
            {
                PartitionKey = userId,
                RowKey = rowKey,
                Kind = notice.Kind,
                DossierCode = string.Empty,
                DocumentId = documentId,
                Title = title,
                Body = body,
                Status = status,
                DueAt = dueAt,
                CreatedAt = time.GetUtcNow(),
            };
        }, documentId, cancellationToken);
}

internal static partial class IncomingNoticeLog
{
    [LoggerMessage(701, LogLevel.Information, "Incoming document {DocumentId} version {Version} ({Action}): {Count} notifications")]
    public static partial void Notified(ILogger logger, string documentId, int version, string action, int count);

    [LoggerMessage(702, LogLevel.Information, "Incoming document {DocumentId}: {Kind} reminder {Chase} to {Count} officials")]
    public static partial void Reminded(ILogger logger, string documentId, string kind, int chase, int count);

    [LoggerMessage(703, LogLevel.Information, "Incoming document {DocumentId} moved on: {Kind} reminder for {DueDate} not sent")]
    public static partial void MovedOn(ILogger logger, string documentId, string kind, DateOnly dueDate);

    [LoggerMessage(704, LogLevel.Information, "Incoming document {DocumentId}: chase {Chase} already continued by another reminder")]
    public static partial void ChaseTaken(ILogger logger, string documentId, int chase);
}
