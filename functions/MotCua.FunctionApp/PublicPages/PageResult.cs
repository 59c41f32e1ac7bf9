using System.Globalization;
using System.Text;

namespace MotCua.FunctionApp.PublicPages;

/// <summary>Marks an endpoint as a page for people, so refusals made before its handler (the rate limit) answer in HTML too.</summary>
public sealed class PublicPage
{
    /// <summary>Whether the caller is a browser that wants a page: it accepts HTML and does not ask for JSON.</summary>
    public static bool BrowserWantsPage(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("text/html", StringComparison.OrdinalIgnoreCase) && !accept.Contains("json", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// A rendered page with its status and caching: public pages may be kept a while, personal answers never
/// (<see cref="NoStore"/>). The policy allows inline style only: no script, no other site, forms post here.
/// </summary>
public sealed class PageResult(int status, string html, string cacheControl) : IResult
{
    public const string NoStore = "no-store";
    public const string Public = "public, max-age=300";

    public TimeSpan? RetryAfter { get; init; }

    public int Status => status;

    public string Html => html;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = cacheControl;
        response.Headers.ContentLanguage = "vi";
        response.Headers["Content-Security-Policy"] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (RetryAfter is { } wait) response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(html);
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }
}
