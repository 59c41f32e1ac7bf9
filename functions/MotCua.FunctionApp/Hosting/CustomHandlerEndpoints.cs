using System.Text.Json;

namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// The custom-handler side of non-HTTP functions: the Functions host POSTs each invocation to
/// <c>/{FunctionName}</c>. A failure answers 500 so the host retries and finally dead-letters.
/// </summary>
public static class CustomHandlerEndpoints
{
    public static IEndpointRouteBuilder MapCustomHandlerInvocations(this IEndpointRouteBuilder app)
    {
        foreach (var handler in app.ServiceProvider.GetServices<IFunctionHandler>())
        {
            var name = handler.Function.Name;
            app.MapPost("/" + name, async (HttpRequest http, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken) =>
            {
                var logger = loggers.CreateLogger("MotCua.Invocations");
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

                var target = services.GetServices<IFunctionHandler>().Single(h => h.Function.Name == name);
                try
                {
                    return Results.Json(await target.InvokeAsync(request with { Metadata = request.Metadata ?? [] }, cancellationToken));
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    HostingLog.InvocationFailed(logger, name, e);
                    return Results.Json(new InvocationResponse([], [$"{e.GetType().Name}: {e.Message}"], null), statusCode: 500);
                }
            }).ExcludeFromDescription().AllowAnonymous();
        }
        return app;
    }
}
