using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>What every recorded step of an outgoing document emits, in the step's batch; <see cref="Version"/> orders a document's events.</summary>
public sealed record OutgoingEvent(string Id, string Agency, int Version, string Action, int From, int To, string Actor, DateTimeOffset At, int Priority,
    bool Secret, string? Summary)
{
    public const string Subject = "outgoing-changed";
    public const string Queue = "outgoing-events";
}

/// <summary>One consumer of outgoing-document events (sealing, delivery, recall, notifications); each does its work once however often an event comes.</summary>
public interface IOutgoingEventHandler
{
    Task HandleAsync(OutgoingEvent change, CancellationToken cancellationToken);
}

public sealed class OutgoingEventsFunction(IEnumerable<IOutgoingEventHandler> handlers) : IQueueHandler<OutgoingEvent>
{
    public static readonly FunctionDeclaration Declaration = new("OutgoingDocumentChanged", new QueueTrigger(OutgoingEvent.Queue));

    public async Task HandleAsync(QueueMessage<OutgoingEvent> message, CancellationToken cancellationToken)
    {
        foreach (var handler in handlers) await handler.HandleAsync(message.Body, cancellationToken);
    }
}
