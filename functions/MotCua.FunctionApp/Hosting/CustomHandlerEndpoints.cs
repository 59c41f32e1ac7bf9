using System.Text.Json;

namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// The custom-handler side of non-HTTP functions: the Functions host POSTs each invocation to
/// <c>/{FunctionName}</c>, and this reads it into the function's typed input. A failure answers 500,
/// so the host retries and finally dead-letters.
/// </summary>
public static class CustomHandlerEndpoints
{
    public static IEndpointRouteBuilder MapCustomHandlerInvocations(this IEndpointRouteBuilder app)
    {
        foreach (var function in app.ServiceProvider.GetRequiredService<FunctionRegistry>().Triggered)
        {
            app.MapPost("/" + function.Name, (HttpRequest http, IServiceProvider services, CancellationToken cancellationToken) =>
                InvokeAsync(function, http, services, cancellationToken)).ExcludeFromDescription().AllowAnonymous();
        }
        return app;
    }

    private static async Task<IResult> InvokeAsync(TriggeredFunction function, HttpRequest http, IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("MotCua.Invocations");
        InvocationRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<InvocationRequest>(http.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return Results.Json(new InvocationResponse([], [$"Malformed invocation payload: {e.Message}"], null), statusCode: 400);
        }
        if (request?.Data is null) return Results.Json(new InvocationResponse([], ["The invocation has no Data."], null), statusCode: 400);
        request = request with { Metadata = request.Metadata ?? [] };

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        try
        {
            switch (function)
            {
                case QueueFunction queue:
                    var message = InvocationPayloads.IsServiceBus(request)
                        ? InvocationPayloads.FromServiceBus(request, now)
                        : InvocationPayloads.FromStorageQueue(request, now);
                    await queue.HandleAsync(services, message, cancellationToken);
                    break;
                case BlobCreatedFunction blob:
                    if (InvocationPayloads.FromEventGrid(request) is { } created) await blob.HandleAsync(services, created, null, cancellationToken);
                    else HostingLog.EventIgnored(logger, function.Name);
                    break;
                case TimerFunction timer:
                    await timer.HandleAsync(services, InvocationPayloads.FromTimer(request, now), cancellationToken);
                    break;
            }
            return Results.Json(InvocationResponse.Done());
        }
        catch (InvalidInvocationException e)
        {
            return Results.Json(new InvocationResponse([], [e.Message], null), statusCode: 400);
        }
        // An unreadable message fails here like any other: the host has no way to be told to dead-letter at
        // once, so it retries up to its limit (maxDequeueCount, or the Service Bus queue's MaxDeliveryCount)
        // before the poison queue or the dead-letter sub-queue takes it.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            HostingLog.InvocationFailed(logger, function.Name, e);
            return Results.Json(new InvocationResponse([], [$"{e.GetType().Name}: {e.Message}"], null), statusCode: 500);
        }
    }
}
