using System.Text.Json;
using Azure.Data.Tables;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Workflow;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Storage;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Notifications;

/// <summary>A reminder about one step's deadline, to be acted on at <see cref="At"/>.</summary>
public sealed record DeadlineReminder(string Code, string Kind, DateTimeOffset DueAt, DateTimeOffset At)
{
    public const string Subject = "deadline-reminder";
}

/// <summary>
/// Scheduled queue step: when a step's deadline nears (one working day before) or passes, the
/// officials holding the dossier and the unit's leader are told, unless the dossier has moved on
/// since: its step deadline is no longer the one the reminder was for, or it is paused or closed.
/// </summary>
public sealed class DeadlineReminderFunction(MotCuaTables tables, StepNames steps, Notifier notifier, IMessageTransport transport, TimeProvider time,
    ILogger<DeadlineReminderFunction> logger) : IQueueHandler<DeadlineReminder>
{
    /// <summary>Storage queues hide a message for at most seven days; a later reminder hops.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(6);

    public static readonly FunctionDeclaration Declaration = new("DeadlineReminder", new QueueTrigger(QueueNames.DeadlineReminders));

    public static Task ScheduleAsync(IMessageTransport transport, DeadlineReminder reminder, CancellationToken cancellationToken, DateTimeOffset? now = null)
    {
        var current = now ?? DateTimeOffset.UtcNow;
        var at = reminder.At - current > MaxDelay ? current + MaxDelay : reminder.At;
        return transport.SendAsync(QueueNames.DeadlineReminders, new OutgoingMessage($"{reminder.Code}-{reminder.Kind}-{reminder.DueAt.UtcTicks}-{Guid.NewGuid():N}",
            DeadlineReminder.Subject, BinaryData.FromObjectAsJson(reminder, JsonSerializerOptions.Web), CorrelationId: reminder.Code,
            ScheduledEnqueueTime: at > current ? at : null), cancellationToken);
    }

    public async Task HandleAsync(QueueMessage<DeadlineReminder> message, CancellationToken cancellationToken)
    {
        var reminder = message.Body;
        var now = time.GetUtcNow();
        // Queue visibility is in whole seconds: a reminder a moment early is due.
        if (reminder.At - now > TimeSpan.FromSeconds(2))
        {
            await ScheduleAsync(transport, reminder, cancellationToken, now);
            return;
        }

        var row = await tables.Dossiers.GetEntityIfExistsAsync<DossierEntity>(reminder.Code, DossierRows.Dossier, cancellationToken: cancellationToken);
        if (!row.HasValue) return;
        var dossier = row.Value!;
        var stillThere = dossier.StepDueAt == reminder.DueAt && dossier.StepPausedAt is null
            && (DossierStatus)dossier.Status is DossierStatus.Registered or DossierStatus.Accepted or DossierStatus.InProgress;
        if (!stillThere)
        {
            PushLog.ReminderMovedOn(logger, reminder.Code, reminder.Kind);
            return;
        }

        var step = await steps.StepAsync(dossier.ProcedureCode, dossier.ProcedureVersion, dossier.Step, cancellationToken);
        var roles = new HashSet<string>([step?.Role ?? ActorRoles.Clerk, ActorRoles.Chairman]);
        var facts = new NotificationFacts(reminder.Kind, dossier.PartitionKey, dossier.ProcedureName, (DossierStatus)dossier.Status, reminder.DueAt);
        var count = await notifier.NotifyAsync(new UnitAudience(dossier.HolderUnit, roles), facts, reminder.At, $"r-{reminder.Kind}-{reminder.DueAt.UtcTicks}", cancellationToken);
        PushLog.Reminded(logger, reminder.Code, reminder.Kind, count);
    }
}
