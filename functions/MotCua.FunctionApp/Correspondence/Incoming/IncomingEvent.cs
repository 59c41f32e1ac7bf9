using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>
/// What every recorded step of an incoming document emits, written in the step's batch (outbox).
/// <see cref="Version"/> orders a document's events, so a consumer ignores a repeated or stale one.
/// </summary>
public sealed record IncomingEvent(
    string Id,
    string Agency,
    int Version,
    string Action,
    int From,
    int To,
    string Actor,
    DateTimeOffset At,
    int Priority,
    bool Secret,
    string? Summary,
    string? LeadUnit,
    string? LeadUser,
    string? Assignee,
    IReadOnlyList<string> CoHandlers,
    IReadOnlyList<string> Informed,
    DateOnly? DueDate,
    string? DirectedBy)
{
    public const string Subject = "incoming-changed";
    public const string Queue = "incoming-events";
}

/// <summary>
/// One consumer of incoming-document events (notifications, search, deadlines). Each must do its
/// work once however often an event comes, as the queue may deliver it again after any of them failed.
/// </summary>
public interface IIncomingEventHandler
{
    Task HandleAsync(IncomingEvent change, string messageId, CancellationToken cancellationToken);
}

/// <summary>Hands each event to every consumer; a failure of one redelivers the event to all, and each ignores what it has done.</summary>
public sealed class IncomingEventsFunction(IEnumerable<IIncomingEventHandler> handlers) : IQueueHandler<IncomingEvent>
{
    public static readonly FunctionDeclaration Declaration = new("IncomingDocumentChanged", new QueueTrigger(IncomingEvent.Queue));

    public async Task HandleAsync(QueueMessage<IncomingEvent> message, CancellationToken cancellationToken)
    {
        foreach (var handler in handlers) await handler.HandleAsync(message.Body, message.MessageId, cancellationToken);
    }
}
