namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// A queue message as its handler sees it: the body read as <typeparamref name="T"/>, and what the
/// handler may need of its envelope. <see cref="DeliveryCount"/> starts at 1.
/// </summary>
public sealed record QueueMessage<T>(
    string MessageId,
    string Subject,
    string? CorrelationId,
    string? TraceParent,
    int DeliveryCount,
    DateTimeOffset EnqueuedAt,
    T Body);

/// <summary>
/// Handles the messages of one queue. Throwing fails the delivery: the message is delivered again,
/// and dead-lettered with the failure as its reason after the delivery limit.
/// </summary>
public interface IQueueHandler<TMessage>
{
    Task HandleAsync(QueueMessage<TMessage> message, CancellationToken cancellationToken);
}

/// <summary>A blob created in a container (Event Grid's <c>Microsoft.Storage.BlobCreated</c>).</summary>
public sealed record BlobCreated(string Container, string BlobName, string? ETag, Uri? Url, long? ContentLength);

public interface IBlobCreatedHandler
{
    Task HandleAsync(BlobCreated blob, CancellationToken cancellationToken);
}

/// <summary>One occurrence of a timer's schedule.</summary>
public sealed record TimerTick(DateTimeOffset ScheduledAt, bool IsPastDue);

public interface ITimerHandler
{
    Task HandleAsync(TimerTick tick, CancellationToken cancellationToken);
}
