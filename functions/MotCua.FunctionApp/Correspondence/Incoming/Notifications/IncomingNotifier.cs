using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Incoming.Notifications;

/// <summary>
/// On every step of an incoming document, the people concerned get a notice in their inbox and on
/// their phones (<see cref="IncomingAudience"/> says who), and a new time limit gets its reminders.
/// An event that comes again writes the same inbox rows, so nobody hears twice.
/// </summary>
public sealed class IncomingNotifier(IncomingStore store, MotCuaTables tables, ProcedureCatalog catalog, MemberDirectory members, CalendarStore calendars,
    IncomingNoticeSender sender, IncomingReminders reminders, ILogger<IncomingNotifier> logger) : IIncomingEventHandler
{
    public async Task HandleAsync(IncomingEvent change, string messageId, CancellationToken cancellationToken)
    {
        var units = await catalog.UnitsAsync(cancellationToken);
        var targets = IncomingAudience.Plan(change, code => units.TryGetValue(code, out var unit) && unit.IsDepartment);
        var recipients = await sender.ResolveAsync(targets, change.Actor, cancellationToken);
        if (recipients.Count > 0)
        {
            var d = IncomingDocumentId.TryParse(change.Id, out var id) ? await store.FindAsync(id.Value, cancellationToken) : null;
            var letter = IncomingLetter.Of(d, change.Secret, change.Summary);
            var directed = change.Action is "directed" or "redirected";
            var withLimit = directed || change.Action == "assigned";
            // The direction's comment, or the result, of exactly this step; a secret document's stay inside.
            var note = !letter.Secret && (directed || change.Action == "finished") ? await CommentAsync(change, cancellationToken) : null;
            var leadName = directed ? await LeadNameAsync(change, units, cancellationToken) : null;
            DateTimeOffset? dueAt = withLimit && change.DueDate is { } due
                ? IncomingDeadlines.End((await calendars.CurrentAsync(cancellationToken)).Schedule, due)
                : null;
            var rowKey = IncomingNoticeSender.RowKey(change.At, change.Id, $"v{change.Version:D6}");
            foreach (var (userId, target) in recipients)
            {
                var notice = new IncomingNotice(target.Kind, letter, change.Priority, withLimit ? change.DueDate : null,
                    LeadName: target.Kind is IncomingNoticeKinds.CoHandling or IncomingNoticeKinds.Informed ? leadName : null,
                    UnitName: target.UnitRoles is not null && directed ? units.GetValueOrDefault(target.Id)?.Name : null,
                    Note: note, Redirected: change.Action == "redirected", Late: change.Action == "finished" && d?.FinishedLate == true);
                await sender.SendAsync(change.Id, userId, notice, change.To, dueAt, rowKey, cancellationToken);
            }
        }
        await reminders.ScheduleAsync(change, cancellationToken);
        IncomingNoticeLog.Notified(logger, change.Id, change.Version, change.Action, recipients.Count);
    }

    private async Task<string?> CommentAsync(IncomingEvent change, CancellationToken cancellationToken)
    {
        var entry = await tables.Dossiers.GetEntityIfExistsAsync<IncomingHistoryEntity>(IncomingRows.Partition(change.Agency),
            IncomingRows.History(change.Id, change.Version), cancellationToken: cancellationToken);
        return entry.HasValue ? entry.Value!.Comment : null;
    }

    /// <summary>The lead department's name, or the lead official's as the member directory knows it.</summary>
    private async Task<string?> LeadNameAsync(IncomingEvent change, IReadOnlyDictionary<string, Unit> units, CancellationToken cancellationToken)
    {
        if (change.LeadUnit is { } unit) return units.GetValueOrDefault(unit)?.Name ?? unit;
        if (change.LeadUser is not { } user) return null;
        string[] agencyUnits = [change.Agency, .. units.Values.Where(u => u.IsDepartment && u.Parent == change.Agency).Select(u => u.AgencyCode)];
        return (await members.FindAsync(agencyUnits, user, cancellationToken))?.Name ?? user;
    }
}

public static class IncomingNotificationsRegistration
{
    /// <summary>Notices of incoming documents' steps, and reminders and chases of their time limits.</summary>
    public static IServiceCollection AddIncomingNotifications(this IServiceCollection services)
    {
        services.AddSingleton<IncomingNoticeSender>();
        services.AddSingleton<IncomingReminders>();
        services.AddSingleton<IIncomingEventHandler, IncomingNotifier>();
        services.AddQueueFunction<IncomingReminder, IncomingReminderFunction>(IncomingReminderFunction.Declaration);
        return services;
    }
}
