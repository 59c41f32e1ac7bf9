using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.FunctionApp.Auth;
using MotCua.Messaging;
using static MotCua.FunctionApp.Problems.Problems;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Hosting;

public sealed record DeadLetterView(string MessageId, string Subject, string Reason, string Description, int DeliveryCount, DateTimeOffset DeadLetteredAt, string Body);

public sealed record ReplayResult(int Replayed);

/// <summary>Admins see why steps gave up and send them back once the cause is fixed.</summary>
public static class DeadLetterEndpoints
{
    public static IEndpointRouteBuilder MapDeadLetters(this IEndpointRouteBuilder app)
    {
        app.MapFunction("ListDeadLetters", new HttpTrigger("GET", "admin/dead-letters/{queue}"), ListAsync).RequireAuthorization(AuthRegistration.AdminPolicy)
            .ProducesProblems(ProblemTypes.UnknownQueue)
            .WithSummary("List dead-lettered messages")
            .WithDescription("Admins only. The messages a queue gave up on after its retries, with how often each was delivered.");
        app.MapFunction("ReplayDeadLetters", new HttpTrigger("POST", "admin/dead-letters/{queue}/replay"), ReplayAsync).RequireAuthorization(AuthRegistration.AdminPolicy)
            .ProducesProblems(ProblemTypes.UnknownQueue)
            .WithSummary("Replay dead-lettered messages")
            .WithDescription("Admins only. Puts the queue's dead-lettered messages back on the queue and says how many.");
        return app;
    }

    private static async Task<Ok<List<DeadLetterView>>> ListAsync(string queue, FunctionRegistry functions, IMessageTransport transport, CancellationToken cancellationToken)
    {
        if (!functions.Queues.Contains(queue)) throw UnknownQueue(queue);
        var letters = await transport.PeekDeadLettersAsync(queue, 32, cancellationToken);
        return TypedResults.Ok(letters.Select(d => new DeadLetterView(d.Message.MessageId, d.Message.Subject, d.Reason, d.Description,
            d.Message.DeliveryCount, d.DeadLetteredAt, d.Message.Body.ToString())).ToList());
    }

    private static async Task<Ok<ReplayResult>> ReplayAsync(string queue, FunctionRegistry functions, IMessageTransport transport, CancellationToken cancellationToken)
    {
        if (!functions.Queues.Contains(queue)) throw UnknownQueue(queue);
        return TypedResults.Ok(new ReplayResult(await transport.ReplayDeadLettersAsync(queue, 1000, cancellationToken)));
    }
}
