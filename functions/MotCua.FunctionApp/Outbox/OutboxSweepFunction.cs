using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Outbox;

/// <summary>Timer: re-dispatches outbox messages that a crash left unsent.</summary>
public sealed class OutboxSweepFunction(OutboxDispatcher dispatcher) : IFunctionHandler
{
    public FunctionDeclaration Function => FunctionCatalog.OutboxSweep;

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var sent = await dispatcher.SweepAsync(cancellationToken);
        return InvocationResponse.Done($"Outbox sweep sent {sent} messages.");
    }
}
