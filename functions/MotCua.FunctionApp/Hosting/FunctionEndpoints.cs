namespace MotCua.FunctionApp.Hosting;

public static class FunctionEndpoints
{
    public const string RoutePrefix = "/api/";

    /// <summary>
    /// Declares an HTTP function and maps it at its method and route, named after the function. This
    /// call is the function's one declaration: its <c>function.json</c> is generated from it.
    /// </summary>
    public static RouteHandlerBuilder MapFunction(this IEndpointRouteBuilder app, string name, HttpTrigger http, Delegate handler)
    {
        app.ServiceProvider.GetRequiredService<FunctionRegistry>().Declare(new FunctionDeclaration(name, http));
        var endpoint = app.MapMethods(RoutePrefix + http.Route, [http.Method], handler).WithName(name);
        return http.Anonymous ? endpoint.AllowAnonymous() : endpoint;
    }
}
