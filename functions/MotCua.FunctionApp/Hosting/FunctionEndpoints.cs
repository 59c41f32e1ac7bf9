namespace MotCua.FunctionApp.Hosting;

public static class FunctionEndpoints
{
    public const string RoutePrefix = "/api/";

    /// <summary>Maps an HTTP function at its declared method and route, named after the function.</summary>
    public static RouteHandlerBuilder MapFunction(this IEndpointRouteBuilder app, FunctionDeclaration function, Delegate handler)
    {
        var http = function.Trigger as HttpTrigger ?? throw new ArgumentException($"{function.Name} is not an HTTP function.", nameof(function));
        var endpoint = app.MapMethods(RoutePrefix + http.Route, [http.Method], handler).WithName(function.Name);
        return http.Anonymous ? endpoint.AllowAnonymous() : endpoint;
    }
}
