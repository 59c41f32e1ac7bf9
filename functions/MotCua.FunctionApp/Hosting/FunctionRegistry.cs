using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MotCua.FunctionApp.Observability;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// Every function of the app, each from its one declaration: HTTP functions enter as they are mapped
/// (<see cref="FunctionEndpoints.MapFunction(IEndpointRouteBuilder, string, HttpTrigger, Delegate)"/>), the others as their
/// capability registers them (<see cref="FunctionRegistration"/>). The custom-handler endpoints, the
/// standalone pumps and timers, the queues created and listed for dead letters, and the generated
/// <c>function.json</c> files all read it.
/// </summary>
public sealed class FunctionRegistry
{
    private readonly List<FunctionDeclaration> _all = [];
    private readonly List<TriggeredFunction> _triggered = [];

    public IReadOnlyList<FunctionDeclaration> All => _all;

    /// <summary>The functions a trigger other than HTTP starts.</summary>
    public IReadOnlyList<TriggeredFunction> Triggered => _triggered;

    /// <summary>The queues the app consumes: each queue function's, and the one standalone blob-created events travel on.</summary>
    public IEnumerable<string> Queues =>
        _triggered.OfType<QueueFunction>().Select(f => f.Queue)
            .Concat(_triggered.OfType<BlobCreatedFunction>().Select(_ => QueueNames.BlobCreated))
            .Distinct();

    public void Declare(FunctionDeclaration function)
    {
        if (_all.Any(f => f.Name == function.Name)) throw new InvalidOperationException($"The function {function.Name} is declared twice.");
        _all.Add(function);
    }

    internal void Add(TriggeredFunction function)
    {
        Declare(function.Declaration);
        _triggered.Add(function);
    }

    /// <summary>The registry of a service collection, added the first time a function is registered.</summary>
    public static FunctionRegistry Of(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(FunctionRegistry))?.ImplementationInstance is FunctionRegistry registry) return registry;
        registry = new FunctionRegistry();
        services.AddSingleton(registry);
        return registry;
    }
}

/// <summary>A function started by a queue, a blob-created event or a timer, and how to run its handler.</summary>
public abstract class TriggeredFunction(FunctionDeclaration declaration)
{
    public FunctionDeclaration Declaration => declaration;

    public string Name => declaration.Name;
}

public abstract class QueueFunction(FunctionDeclaration declaration, string queue) : TriggeredFunction(declaration)
{
    public string Queue => queue;

    /// <summary>Reads the body as the handler's message type and runs the handler; a body it cannot read throws <see cref="UnreadableMessageException"/>.</summary>
    public abstract Task HandleAsync(IServiceProvider services, QueueMessage<BinaryData> message, CancellationToken cancellationToken);
}

public abstract class BlobCreatedFunction(FunctionDeclaration declaration) : TriggeredFunction(declaration)
{
    public abstract Task HandleAsync(IServiceProvider services, BlobCreated blob, string? traceParent, CancellationToken cancellationToken);
}

public abstract class TimerFunction(FunctionDeclaration declaration, string schedule) : TriggeredFunction(declaration)
{
    public string Schedule => schedule;

    public abstract Task HandleAsync(IServiceProvider services, TimerTick tick, CancellationToken cancellationToken);
}

internal sealed class QueueFunction<TMessage, THandler>(FunctionDeclaration declaration, string queue) : QueueFunction(declaration, queue)
    where THandler : IQueueHandler<TMessage>
{
    /// <summary>A member missing or null against the message type's own declaration is a body of another shape, not a message to retry.</summary>
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerOptions.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public override async Task HandleAsync(IServiceProvider services, QueueMessage<BinaryData> message, CancellationToken cancellationToken)
    {
        TMessage body;
        try
        {
            body = message.Body.ToObjectFromJson<TMessage>(Strict) ?? throw new JsonException("The body is null.");
        }
        catch (JsonException e)
        {
            throw new UnreadableMessageException($"Message {message.MessageId} is not a readable {typeof(TMessage).Name}: {e.Message}", e);
        }
        using var activity = Telemetry.StartConsumer(Name, message.TraceParent);
        await services.GetRequiredService<THandler>().HandleAsync(
            new QueueMessage<TMessage>(message.MessageId, message.Subject, message.CorrelationId, message.TraceParent, message.DeliveryCount, message.EnqueuedAt, body),
            cancellationToken);
    }
}

internal sealed class BlobCreatedFunction<THandler>(FunctionDeclaration declaration) : BlobCreatedFunction(declaration)
    where THandler : IBlobCreatedHandler
{
    public override async Task HandleAsync(IServiceProvider services, BlobCreated blob, string? traceParent, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.StartConsumer(Name, traceParent);
        await services.GetRequiredService<THandler>().HandleAsync(blob, cancellationToken);
    }
}

internal sealed class TimerFunction<THandler>(FunctionDeclaration declaration, string schedule) : TimerFunction(declaration, schedule)
    where THandler : ITimerHandler
{
    public override async Task HandleAsync(IServiceProvider services, TimerTick tick, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.StartConsumer(Name, null);
        await services.GetRequiredService<THandler>().HandleAsync(tick, cancellationToken);
    }
}

/// <summary>How a capability registers its queue, blob-created and timer functions, each with its handler.</summary>
public static class FunctionRegistration
{
    public static IServiceCollection AddQueueFunction<TMessage, THandler>(this IServiceCollection services, FunctionDeclaration function)
        where THandler : class, IQueueHandler<TMessage>
    {
        var trigger = function.Trigger as QueueTrigger ?? throw new ArgumentException($"{function.Name} is not a queue function.", nameof(function));
        services.TryAddSingleton<THandler>();
        FunctionRegistry.Of(services).Add(new QueueFunction<TMessage, THandler>(function, trigger.Queue));
        return services;
    }

    public static IServiceCollection AddBlobCreatedFunction<THandler>(this IServiceCollection services, FunctionDeclaration function)
        where THandler : class, IBlobCreatedHandler
    {
        if (function.Trigger is not BlobCreatedTrigger) throw new ArgumentException($"{function.Name} is not a blob-created function.", nameof(function));
        services.TryAddSingleton<THandler>();
        FunctionRegistry.Of(services).Add(new BlobCreatedFunction<THandler>(function));
        return services;
    }

    public static IServiceCollection AddTimerFunction<THandler>(this IServiceCollection services, FunctionDeclaration function)
        where THandler : class, ITimerHandler
    {
        var trigger = function.Trigger as TimerTrigger ?? throw new ArgumentException($"{function.Name} is not a timer function.", nameof(function));
        services.TryAddSingleton<THandler>();
        FunctionRegistry.Of(services).Add(new TimerFunction<THandler>(function, trigger.Schedule));
        return services;
    }
}
