using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Storage;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Correspondence.Incoming.Notifications;

/// <summary>
/// A reminder about an incoming document's time limit (<see cref="DueDate"/>), to be acted on at
/// <see cref="At"/>: "due soon", or the <see cref="Chase"/>-th chase past the limit.
/// </summary>
public sealed record IncomingReminder(string DocumentId, string Kind, DateOnly DueDate, int Chase, DateTimeOffset At)
{
    public const string Subject = "incoming-reminder";
    public const string Queue = "incoming-reminders";

    /// <summary>A document left open is chased on this many working days, then no more.</summary>
    public const int MaxChases = 30;
}

/// <summary>Schedules the reminders of a time limit when a step gives the handler one (a direction, a redirection, a pass-on).</summary>
public sealed class IncomingReminders(CalendarStore calendars, IMessageTransport transport, IOptions<ReminderOptions> options, TimeProvider time)
{
    /// <summary>Storage queues hide a message for at most seven days; a later reminder hops.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(6);

    /// <summary>
    /// The same limit scheduled twice (an event delivered again, a pass-on keeping the direction's limit) gives the same
    /// notices once, and one chain of chases.
    /// </summary>
    public async Task ScheduleAsync(IncomingEvent change, CancellationToken cancellationToken)
    {
        if (change.Action is not ("directed" or "redirected" or "assigned") || change.DueDate is not { } due) return;
        if ((IncomingStatus)change.To is not (IncomingStatus.Directed or IncomingStatus.InProgress)) return;
        var calendar = await calendars.CurrentAsync(cancellationToken);
        var now = time.GetUtcNow();
        var soon = IncomingDeadlines.DueSoonAt(calendar, due, options.Value.Before);
        // A limit closer than the reminder's window needs no "due soon": the step's own notice named it.
        if (soon > change.At) await SendAsync(transport, new IncomingReminder(change.Id, IncomingNoticeKinds.DueSoon, due, 0, soon), now, cancellationToken);
        await SendAsync(transport, new IncomingReminder(change.Id, IncomingNoticeKinds.Overdue, due, 1, IncomingDeadlines.FirstChaseAt(calendar, due)), now, cancellationToken);
    }

    public static Task SendAsync(IMessageTransport transport, IncomingReminder reminder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = reminder.At - now > MaxDelay ? now + MaxDelay : reminder.At;
        return transport.SendAsync(IncomingReminder.Queue, new OutgoingMessage($"{reminder.DocumentId}-{reminder.Kind}-{reminder.Chase}-{Guid.NewGuid():N}",
            IncomingReminder.Subject, BinaryData.FromObjectAsJson(reminder, JsonSerializerOptions.Web), CorrelationId: reminder.DocumentId,
            ScheduledEnqueueTime: at > now ? at : null), cancellationToken);
    }
}

/// <summary>
/// Scheduled queue step: when a handler's limit nears or has passed, the handler (and, past it,
/// whoever directed) is told, unless the document has moved on: finished or returned, or given
/// another limit. Past the limit, the next working day brings the next chase while it stays open.
/// </summary>
public sealed class IncomingReminderFunction(IncomingStore store, MotCuaTables tables, CalendarStore calendars, IncomingNoticeSender sender,
    IMessageTransport transport, TimeProvider time, ILogger<IncomingReminderFunction> logger) : IQueueHandler<IncomingReminder>
{
    public static readonly FunctionDeclaration Declaration = new("IncomingReminder", new QueueTrigger(IncomingReminder.Queue));

    public async Task HandleAsync(QueueMessage<IncomingReminder> message, CancellationToken cancellationToken)
    {
        var reminder = message.Body;
        var now = time.GetUtcNow();
        // Queue visibility is in whole seconds: a reminder a moment early is due.
        if (reminder.At - now > TimeSpan.FromSeconds(2))
        {
            await IncomingReminders.SendAsync(transport, reminder, now, cancellationToken);
            return;
        }

        var d = IncomingDocumentId.TryParse(reminder.DocumentId, out var id) ? await store.FindAsync(id.Value, cancellationToken) : null;
        if (d is null || d.State is not (IncomingStatus.Directed or IncomingStatus.InProgress) || d.HandlerDue != reminder.DueDate)
        {
            IncomingNoticeLog.MovedOn(logger, reminder.DocumentId, reminder.Kind, reminder.DueDate);
            return;
        }

        var calendar = await calendars.CurrentAsync(cancellationToken);
        var recipients = await sender.ResolveAsync(IncomingAudience.Reminded(reminder.Kind, d), actor: null, cancellationToken);
        var notice = new IncomingNotice(reminder.Kind, IncomingLetter.Of(d, d.Secret, d.Summary), d.Priority, reminder.DueDate, Chase: reminder.Chase);
        var rowKey = IncomingNoticeSender.RowKey(reminder.At, d.Id, $"{reminder.Kind}-{Days.Format(reminder.DueDate)}-{reminder.Chase}");
        foreach (var (userId, _) in recipients)
            await sender.SendAsync(d.Id, userId, notice, d.Status, IncomingDeadlines.End(calendar.Schedule, reminder.DueDate), rowKey, cancellationToken);
        IncomingNoticeLog.Reminded(logger, d.Id, reminder.Kind, reminder.Chase, recipients.Count);

        if (reminder.Kind != IncomingNoticeKinds.Overdue || reminder.Chase >= IncomingReminder.MaxChases) return;
        if (!await ClaimAsync(d, reminder, message.MessageId, cancellationToken))
        {
            IncomingNoticeLog.ChaseTaken(logger, d.Id, reminder.Chase);
            return;
        }
        var next = IncomingDeadlines.NextOpening(calendar, reminder.At > now ? reminder.At : now);
        await IncomingReminders.SendAsync(transport, reminder with { Chase = reminder.Chase + 1, At = next }, now, cancellationToken);
    }

    /// <summary>
    /// Takes the right to schedule the chase after this one. Two reminders for the same limit and chase (the limit
    /// scheduled twice) would each start a chain; the first to record the chase on the document's chase row
    /// continues it. The same message, delivered again, still may: it may have failed before scheduling.
    /// </summary>
    private async Task<bool> ClaimAsync(IncomingDocumentEntity d, IncomingReminder reminder, string messageId, CancellationToken cancellationToken)
    {
        var due = Days.Format(reminder.DueDate);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var found = await tables.Dossiers.GetEntityIfExistsAsync<IncomingChaseEntity>(d.PartitionKey, IncomingChaseEntity.Key(d.Id), cancellationToken: cancellationToken);
            var row = found.HasValue ? found.Value! : null;
            if (row is not null && row.DueDate == due && row.Chase >= reminder.Chase) return row.Chase == reminder.Chase && row.MessageId == messageId;
            var claim = new IncomingChaseEntity { PartitionKey = d.PartitionKey, RowKey = IncomingChaseEntity.Key(d.Id), DueDate = due, Chase = reminder.Chase, MessageId = messageId };
            try
            {
                if (row is null) await tables.Dossiers.AddEntityAsync(claim, cancellationToken);
                else await tables.Dossiers.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another reminder recorded a chase meanwhile: read again.
            }
        }
        return false;
    }
}

/// <summary>
/// The last chase of a document's limit that was continued, in the agency's partition (<c>chase|{id}</c>):
/// the limit, the chase's number, and the reminder message that continues it.
/// </summary>
public sealed class IncomingChaseEntity : ITableEntity
{
    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string DueDate { get; set; } = default!;
    public int Chase { get; set; }
    public string MessageId { get; set; } = default!;

    public static string Key(string documentId) => "chase|" + documentId;
}
