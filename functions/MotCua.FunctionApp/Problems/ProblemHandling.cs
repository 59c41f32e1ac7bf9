using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MotCua.FunctionApp.Problems;

/// <summary>
/// The one place that turns refusals into RFC 9457 problems, in Vietnamese unless the caller
/// prefers English. Anything unexpected stays a 500: an outage never hides behind a 4xx.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ProblemException p => p,
            BadHttpRequestException { StatusCode: 413 } => Problems.RequestTooLarge(),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException json } => Problems.UnreadableJson(json),
            BadHttpRequestException bad => Problems.BadParameter(ParameterName(bad.Message)),
            _ => null,
        };
        if (problem is null) return false;
        return await WriteAsync(problems, context, problem, exception);
    }

    public static async Task<bool> WriteAsync(IProblemDetailsService problems, HttpContext context, ProblemException problem, Exception? exception = null)
    {
        var english = PrefersEnglish(context.Request);
        var details = new ProblemDetails
        {
            Status = problem.Status,
            Type = problem.Type,
            Title = english ? problem.TitleEn : problem.TitleVi,
            Detail = english ? problem.DetailEn : problem.DetailVi,
            Instance = context.Request.Path,
        };
        foreach (var (key, value) in problem.Extensions) details.Extensions[key] = value;
        context.Response.StatusCode = problem.Status;
        context.Response.Headers.ContentLanguage = english ? "en" : "vi";
        if (problem.RetryAfter is { } wait) context.Response.Headers.RetryAfter = RetryAfterSeconds(wait).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }

    /// <summary>
    /// The parameter a binding failure names ("Failed to bind parameter \"Nullable&lt;DateOnly&gt; from\" …"):
    /// the framework's message carries its .NET type, so only the name reaches the answer.
    /// </summary>
    private static string? ParameterName(string message) =>
        System.Text.RegularExpressions.Regex.Match(message, "parameter \"(?:[^\"]* )?([A-Za-z_][A-Za-z0-9_]*)\"") is { Success: true } m ? m.Groups[1].Value : null;

    public static long RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));

    public static bool PrefersEnglish(HttpRequest request)
    {
        var languages = request.GetTypedHeaders().AcceptLanguage;
        var best = languages.OrderByDescending(l => l.Quality ?? 1).FirstOrDefault();
        return best is not null && best.Value.Value?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
    }
}
