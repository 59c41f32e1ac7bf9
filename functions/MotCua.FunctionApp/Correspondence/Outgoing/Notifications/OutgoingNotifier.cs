using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Incoming.Notifications;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Outgoing.Notifications;

/// <summary>
/// Who is told of each step of an outgoing document: the drafter of a return, the reviewer (the named
/// one, or the drafting department's heads) of a submission for review, the signer of a draft waiting
/// for their signature, the agency's records clerks of a signed document waiting for its number, the
/// drafter of its issue, and the drafter and the signer of its recall.
/// </summary>
public static class OutgoingAudience
{
    public static IReadOnlyList<IncomingTarget> Plan(OutgoingEvent e, OutgoingDocumentEntity d) => e.Action switch
    {
        "review-returned" or "signer-returned" => [IncomingTarget.Person(OutgoingNoticeKinds.Returned, d.DraftedBy)],
        "submitted" when e.To == (int)OutgoingStatus.InReview =>
            [d.Reviewer is { } reviewer ? IncomingTarget.Person(OutgoingNoticeKinds.Review, reviewer) : IncomingTarget.Heads(OutgoingNoticeKinds.Review, d.DraftingUnit)],
        "submitted" or "review-passed" when e.To == (int)OutgoingStatus.AwaitingSignature => [IncomingTarget.Person(OutgoingNoticeKinds.Signature, d.Signer)],
        "signed" => [new(OutgoingNoticeKinds.Signed, d.Agency, [Roles.RecordsClerk])],
        "issued" => [IncomingTarget.Person(OutgoingNoticeKinds.Issued, d.DraftedBy)],
        "recalled" => [IncomingTarget.Person(OutgoingNoticeKinds.Recalled, d.DraftedBy), IncomingTarget.Person(OutgoingNoticeKinds.Recalled, d.Signer)],
        _ => [],
    };

    /// <summary>Who hears that a recipient refused the document: the sender agency's records clerks, who sent it, and its drafter.</summary>
    public static IReadOnlyList<IncomingTarget> Refused(OutgoingDocumentEntity d) =>
        [new(OutgoingNoticeKinds.Refused, d.Agency, [Roles.RecordsClerk]), IncomingTarget.Person(OutgoingNoticeKinds.Refused, d.DraftedBy)];
}

/// <summary>
/// On every step of an outgoing document, the people concerned get a notice in their inbox and on
/// their phones (<see cref="OutgoingAudience"/> says who). The inbox row's id is the event's time, the
/// document and its version, so an event that comes again writes nothing new and nobody hears twice.
/// </summary>
public sealed class OutgoingNotifier(OutgoingStore store, MotCuaTables tables, OutgoingNoticeSender sender, ILogger<OutgoingNotifier> logger) : IOutgoingEventHandler
{
    /// <summary>The comments the steps write when the person gave none: not worth quoting.</summary>
    private static readonly HashSet<string> StepDefaults = new(StringComparer.Ordinal) { "Trình duyệt.", "Trình ký.", "Đồng ý, trình ký." };

    public async Task HandleAsync(OutgoingEvent change, CancellationToken cancellationToken)
    {
        if (!OutgoingDocumentId.TryParse(change.Id, out var id)) return;
        var d = await store.FindAsync(id.Value, cancellationToken);
        if (d is null) return;
        var recipients = await sender.ResolveAsync(OutgoingAudience.Plan(change, d), change.Actor, cancellationToken);
        if (recipients.Count > 0)
        {
            var letter = OutgoingLetter.Of(d) with { Secret = change.Secret || d.Secret };
            // Named as it was at this step: a draft until it is signed, without a number until the records clerk gives one.
            if (change.To < (int)OutgoingStatus.Numbered) letter = letter with { Draft = change.To < (int)OutgoingStatus.Signed, Symbol = null };
            var comment = await CommentAsync(change, cancellationToken);
            var notice = change.Action switch
            {
                "review-returned" or "signer-returned" => new OutgoingNotice(OutgoingNoticeKinds.Returned, letter, change.Priority,
                    await sender.NameAsync(d.Agency, change.Actor, cancellationToken), comment),
                "submitted" or "review-passed" => new OutgoingNotice(change.To == (int)OutgoingStatus.InReview ? OutgoingNoticeKinds.Review : OutgoingNoticeKinds.Signature,
                    letter, change.Priority, d.DraftedByName, comment is null || StepDefaults.Contains(comment) ? null : comment),
                "signed" => new OutgoingNotice(OutgoingNoticeKinds.Signed, letter, change.Priority, d.SignedByName),
                "issued" => new OutgoingNotice(OutgoingNoticeKinds.Issued, letter, change.Priority, IssueDate: Days.Parse(d.IssueDate)),
                _ => new OutgoingNotice(OutgoingNoticeKinds.Recalled, letter, change.Priority, Note: d.RecallReason),
            };
            var rowKey = IncomingNoticeSender.RowKey(change.At, change.Id, $"v{change.Version:D6}");
            foreach (var (userId, _) in recipients) await sender.SendAsync(d.Id, userId, notice, change.To, rowKey, cancellationToken);
        }
        OutgoingNoticeLog.Notified(logger, change.Id, change.Version, change.Action, recipients.Count);
    }

    /// <summary>The comment of exactly this step, from its history entry.</summary>
    private async Task<string?> CommentAsync(OutgoingEvent change, CancellationToken cancellationToken)
    {
        var entry = await tables.Dossiers.GetEntityIfExistsAsync<OutgoingHistoryEntity>(OutgoingRows.Partition(change.Agency),
            OutgoingRows.History(change.Id, change.Version), cancellationToken: cancellationToken);
        return entry.HasValue && !string.IsNullOrWhiteSpace(entry.Value!.Comment) ? entry.Value.Comment : null;
    }
}

/// <summary>
/// A recipient agency of this system refused (returned) a document we sent: the records clerks who
/// sent it and its drafter hear which agency refused it and why, once per refusal.
/// </summary>
public sealed class OutgoingRefusalNotifier(IncomingStore incoming, OutgoingStore store, ProcedureCatalog catalog, OutgoingNoticeSender sender,
    ILogger<OutgoingRefusalNotifier> logger) : IIncomingEventHandler
{
    public async Task HandleAsync(IncomingEvent change, string messageId, CancellationToken cancellationToken)
    {
        if (change.Action != "returned" || !IncomingDocumentId.TryParse(change.Id, out var id)) return;
        var doc = await incoming.FindAsync(id.Value, cancellationToken);
        if (doc?.OriginOutgoingId is not { } origin || !OutgoingDocumentId.TryParse(origin, out var outgoingId)) return;
        var d = await store.FindAsync(outgoingId.Value, cancellationToken);
        if (d is null) return;
        // The actor works at the recipient agency: nobody of ours is left out as the one who acted.
        var recipients = await sender.ResolveAsync(OutgoingAudience.Refused(d), actor: null, cancellationToken);
        var recipientName = (await catalog.UnitsAsync(cancellationToken)).GetValueOrDefault(change.Agency)?.Name ?? change.Agency;
        var notice = new OutgoingNotice(OutgoingNoticeKinds.Refused, OutgoingLetter.Of(d), d.Priority, recipientName, doc.ReturnReason);
        var rowKey = IncomingNoticeSender.RowKey(change.At, d.Id, $"{change.Id}-v{change.Version:D6}");
        foreach (var (userId, _) in recipients) await sender.SendAsync(d.Id, userId, notice, d.Status, rowKey, cancellationToken);
        OutgoingNoticeLog.Refused(logger, d.Id, change.Agency, recipients.Count);
    }
}

/// <summary>
/// Puts notices about outgoing documents in the officials' inboxes and on their phones, through the
/// same inbox and push steps as the other notifications; the targets resolve as incoming documents' do.
/// </summary>
public sealed class OutgoingNoticeSender(IncomingNoticeSender targets, MemberDirectory members, ProcedureCatalog catalog, Notifier notifier, TimeProvider time)
{
    public Task<IReadOnlyList<(string UserId, IncomingTarget Target)>> ResolveAsync(IEnumerable<IncomingTarget> planned, string? actor, CancellationToken cancellationToken) =>
        targets.ResolveAsync(planned, actor, cancellationToken);

    /// <summary>An official of the agency (or one of its departments) by the name the member directory knows; null when it does not.</summary>
    public async Task<string?> NameAsync(string agency, string userId, CancellationToken cancellationToken)
    {
        var units = await catalog.UnitsAsync(cancellationToken);
        string[] agencyUnits = [agency, .. units.Values.Where(u => u.IsDepartment && u.Parent == agency).Select(u => u.AgencyCode)];
        return (await members.FindAsync(agencyUnits, userId, cancellationToken))?.Name;
    }

    public Task SendAsync(string documentId, string userId, OutgoingNotice notice, int status, string rowKey, CancellationToken cancellationToken) =>
        notifier.DeliverAsync(userId, locale =>
        {
            var (title, body) = OutgoingNoticeTemplates.Render(notice, locale);
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
                CreatedAt = time.GetUtcNow(),
            };
        }, documentId, cancellationToken);
}

public static class OutgoingNotificationsRegistration
{
    /// <summary>Notices of outgoing documents' steps, and of a recipient's refusal.</summary>
    public static IServiceCollection AddOutgoingNotifications(this IServiceCollection services)
    {
        services.AddSingleton<OutgoingNoticeSender>();
        services.AddSingleton<IOutgoingEventHandler, OutgoingNotifier>();
        services.AddSingleton<IIncomingEventHandler, OutgoingRefusalNotifier>();
        return services;
    }
}

internal static partial class OutgoingNoticeLog
{
    [LoggerMessage(711, LogLevel.Information, "Outgoing document {DocumentId} version {Version} ({Action}): {Count} notifications")]
    public static partial void Notified(ILogger logger, string documentId, int version, string action, int count);

    [LoggerMessage(712, LogLevel.Information, "Outgoing document {DocumentId} refused by {Recipient}: {Count} notifications")]
    public static partial void Refused(ILogger logger, string documentId, string recipient, int count);
}
