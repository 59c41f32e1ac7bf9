using System.Text.Json;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.Messaging;
using Microsoft.Extensions.Options;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// Queue step on every change of a dossier: the people concerned get a notification, and the
/// step's deadline gets its reminders scheduled (they check, when they come due, that the
/// dossier is still where it was).
/// </summary>
public sealed class NotifyFunction(Notifier notifier, CalendarStore calendar, ProcedureCatalog catalog, IMessageTransport transport, IOptions<ReminderOptions> reminders,
    TimeProvider time, ILogger<NotifyFunction> logger) : IQueueHandler<DossierEvent>
{
    public static readonly FunctionDeclaration Declaration = new("Notify", new QueueTrigger(QueueNames.Notifications));

    public async Task HandleAsync(QueueMessage<DossierEvent> message, CancellationToken cancellationToken)
    {
        var e = message.Body;
        var count = 0;
        foreach (var planned in NotificationPlanner.Plan(e))
        {
            var dueAt = planned.Audience is CitizenAudience ? e.DueAt : e.StepDueAt ?? e.DueAt;
            var handedTo = planned.Kind == NotificationKinds.HandedOver ? await HandedToAsync(e, cancellationToken) : null;
            var facts = new NotificationFacts(planned.Kind, e.Code, e.ProcedureName, (DossierStatus)e.To, dueAt, e.Comment, handedTo);
            count += await notifier.NotifyAsync(planned.Audience, facts, e.At, $"s{e.Sequence:D6}", cancellationToken, actor: e.Actor);
        }
        // Every change that leaves a step running with a deadline (a new step, a resumed one) schedules its reminders;
        // the same deadline scheduled twice gives the same notification once.
        var running = (DossierStatus)e.To is DossierStatus.Registered or DossierStatus.Accepted or DossierStatus.InProgress;
        if (e.StepDueAt is { } due && e.StepRole is not null && running && !NotificationPlanner.IsQuiet(e.Action))
        {
            var working = await calendar.CurrentAsync(cancellationToken);
            var soon = working.SubtractWorkingTime(due, reminders.Value.Before);
            // A step shorter than the reminder window needs no "due soon": its arrival already named the deadline.
            if (soon > e.At) await ScheduleAsync(new DeadlineReminder(e.Code, NotificationKinds.DueSoon, due, soon), cancellationToken);
            await ScheduleAsync(new DeadlineReminder(e.Code, NotificationKinds.Overdue, due, due), cancellationToken);
        }
        PushLog.Notified(logger, e.Code, e.Sequence, count);
    }

    /// <summary>The step the hand-over reached, if it changed, and the unit's name, if the unit changed.</summary>
    private async Task<HandOverPlace> HandedToAsync(DossierEvent e, CancellationToken cancellationToken)
    {
        string? unit = null;
        if (e.PreviousHolderUnit is not null)
            unit = (await catalog.UnitsAsync(cancellationToken)).TryGetValue(e.HolderUnit, out var found) ? found.Name : e.HolderUnit;
        return new HandOverPlace(e.PreviousStep is not null ? e.StepName ?? $"{e.Step + 1}" : null, unit);
    }

    private Task ScheduleAsync(DeadlineReminder reminder, CancellationToken cancellationToken) =>
        DeadlineReminderFunction.ScheduleAsync(transport, reminder, cancellationToken, time.GetUtcNow());
}

public sealed class ReminderOptions
{
    public const string Section = "Notifications:Reminders";

    /// <summary>Working time before a step's deadline when its holder and the unit's leader are reminded (one working day).</summary>
    public TimeSpan Before { get; set; } = TimeSpan.FromHours(8);
}
