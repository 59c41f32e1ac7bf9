using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Outbox;

/// <summary>Timer: re-dispatches outbox messages that a crash left unsent.</summary>
public sealed class OutboxSweepFunction(OutboxDispatcher dispatcher) : ITimerHandler
{
    public static readonly FunctionDeclaration Declaration = new("OutboxSweep", new TimerTrigger("0 */1 * * * *"));

    public Task HandleAsync(TimerTick tick, CancellationToken cancellationToken) => dispatcher.SweepAsync(cancellationToken);
}
