namespace MotCua.FunctionApp.Hosting;

public static class FunctionEndpoints
{
    /// <summary>Where the API's routes start; pages live beside it at the root.</summary>
    public const string RoutePrefix = "/" + HttpTrigger.ApiPrefix;

    /// <summary>
    /// Declares an HTTP function and maps it at its method and route, named after the function. This
    /// call is the function's one declaration: its <c>function.json</c> is generated from it.
    /// </summary>
    public static RouteHandlerBuilder MapFunction(this IEndpointRouteBuilder app, string name, HttpTrigger http, Delegate handler)
    {
        app.ServiceProvider.GetRequiredService<FunctionRegistry>().Declare(new FunctionDeclaration(name, http));
        var endpoint = app.MapMethods("/" + http.HostRoute, [http.Method], handler).WithName(name);
        return http.Anonymous ? endpoint.AllowAnonymous() : endpoint;
    }
}
