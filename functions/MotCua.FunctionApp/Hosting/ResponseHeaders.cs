using Microsoft.Net.Http.Headers;

namespace MotCua.FunctionApp.Hosting;

/// <summary>Headers every response carries, whichever way it was written (endpoint, problem, challenge).</summary>
public static class ResponseHeaders
{
    /// <summary>
    /// Browsers never guess a content type, and nothing under /api is kept by a cache: those answers hold
    /// personal data, PINs and tokens' outcomes. The API description outside /api stays cacheable.
    /// Set when the headers go out, so the exception handler's reset of the response keeps them.
    /// </summary>
    public static IApplicationBuilder UseResponseHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            if (context.Request.Path.StartsWithSegments("/api")) headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    });
}
