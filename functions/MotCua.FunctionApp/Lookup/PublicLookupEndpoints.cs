using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using MotCua.Domain.Deadlines;
using MotCua.Domain.Dossiers;
using MotCua.Domain.History;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Lookup;

/// <summary>One entry of the dossier's history: the action's code for apps, and its name for people, in Vietnamese and English.</summary>
public sealed record LookupStep(DateTimeOffset At, string Action, string ActionName, string ActionNameEn, StatusView Status)
{
    public static LookupStep Of(HistoryEntry h)
    {
        var (vietnamese, english) = HistoryActionNames.Of(h.Action);
        return new LookupStep(h.At, h.Action, vietnamese, english, StatusView.Of(h.To));
    }
}

/// <summary>Whether the result came before, on or after the deadline: the code for apps, the name for people.</summary>
public sealed record TimelinessView(string Code, string Name, string NameEn)
{
    public static TimelinessView? Of(string? code) =>
        Enum.TryParse<Timeliness>(code, out var t) ? new TimelinessView(code!, t.Vietnamese(), t.English()) : null;
}

/// <summary>What anyone holding the receipt may see: no names, no ids, no documents.</summary>
public sealed record LookupView(string Code, string ProcedureName, string ReceivingUnit, StatusView Status, DateTimeOffset SubmittedAt,
    DateTimeOffset? DueAt, string? TimeLeft, TimelinessView? Timeliness, IReadOnlyList<LookupStep> Steps);

public sealed class LookupOptions
{
    public const string Section = "Lookup";

    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int PermitsPerMinute { get; set; } = 30;

    /// <summary>
    /// Unset: the client address is the connection's. Behind a front end that appends the client's
    /// address to a header (<c>X-Forwarded-For</c>), and that clients cannot bypass, name it here:
    /// under the Functions host every connection comes from the host.
    /// </summary>
    public string? ClientAddressHeader { get; set; }
}

/// <summary>
/// The public status lookup by dossier code and the PIN printed on the receipt. Rate limited per
/// client address and slowed per code and address (<see cref="LookupGuards"/>); a wrong PIN and an unknown code
/// answer the same 404, so guessing learns nothing.
/// </summary>
public static class PublicLookupEndpoints
{
    public const string Policy = "public-lookup";

    public static IServiceCollection AddPublicLookup(this IServiceCollection services)
    {
        services.AddOptions<LookupOptions>().BindConfiguration(LookupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddLookupGuards();
        services.AddSingleton<DossierLookup>();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(Policy, context =>
            {
                var permits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<LookupOptions>>().Value.PermitsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(LookupGuards.ClientAddress(context),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = LookupGuards.RejectAsync;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapPublicLookup(this IEndpointRouteBuilder app)
    {
        app.MapFunction("PublicLookup", new HttpTrigger("GET", "public/dossiers/{code}", Anonymous: true), LookupAsync).RequireRateLimiting(Policy)
            .ProducesProblems(ProblemTypes.LookupNotFound, ProblemTypes.TooManyLookups, ProblemTypes.LookupPinTriesSlowed)
            .WithSummary("Public status of a dossier by its code and the lookup PIN on the receipt; no sign-in")
            .WithDescription("The PIN has 10 digits (6 on receipts issued before). Limited per client address; after a few wrong PINs for a code from "
                + "one address, that address's further tries for it are evaluated only after a wait that doubles up to a cap: 429 with "
                + "Retry-After, unevaluated. Wrong 6-digit PINs are also counted per code, but an address's first try is always evaluated. "
                + "Deprecated: the PIN in the address is logged and cached on the way; use POST /api/public/dossiers/lookup.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Deprecated = true;
                foreach (var parameter in (operation.Parameters ?? []).OfType<Microsoft.OpenApi.OpenApiParameter>().Where(p => p.Name == "pin")) parameter.Deprecated = true;
                return Task.CompletedTask;
            });
        app.MapFunction("LookupDossier", new HttpTrigger("POST", "public/dossiers/lookup", Anonymous: true), LookupByBodyAsync).RequireRateLimiting(Policy)
            // Described, not matched on: a request of another type reaches the handler and gets its 415 instead of a 401 for no endpoint.
            .WithMetadata(new JsonRequestBody(typeof(LookupForm)))
            .ProducesProblems([.. ProblemTypes.JsonBody, ProblemTypes.LookupNotFound, ProblemTypes.TooManyLookups, ProblemTypes.LookupPinTriesSlowed])
            .WithSummary("Public status of a dossier by its code and the lookup PIN in the body; no sign-in")
            .WithDescription("As GET /api/public/dossiers/{code}, with code and PIN in a JSON body, so that no address (logged by servers and kept by "
                + "proxies and browsers) carries the PIN. The same limits and the same 404 for an unknown code and a wrong PIN.");
        return app;
    }

    private static async Task<Ok<LookupView>> LookupAsync(string code,
        // Required in the description: without a PIN no dossier is ever found, though the answer stays the same 404 as a wrong one.
        [Required, Description("Deprecated: an address with the PIN is logged and kept by proxies and browsers; send it in the body of POST /api/public/dossiers/lookup. "
            + "The lookup PIN on the receipt: 10 digits (6 on receipts issued before). Missing or wrong, the answer is 404 lookup-not-found, as for an unknown code.")] string? pin,
        HttpContext http, DossierLookup lookup, CancellationToken cancellationToken) =>
        TypedResults.Ok((await lookup.FindAsync(code, pin, LookupGuards.ClientAddress(http), cancellationToken)).View);

    private static async Task<Ok<LookupView>> LookupByBodyAsync(HttpContext http, DossierLookup lookup, CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadRequiredAsync<LookupForm>(http.Request, JsonBody.SmallFormBytes, cancellationToken);
        return TypedResults.Ok((await lookup.FindAsync(form.Code, form.Pin, LookupGuards.ClientAddress(http), cancellationToken)).View);
    }
}

/// <summary>The dossier code and the lookup PIN printed on the receipt, sent in a body so that no address carries the PIN.</summary>
public sealed record LookupForm(
    [property: Description("The dossier code on the receipt (000.20.30.H56-261202-0001).")] string Code,
    [property: Description("The lookup PIN on the receipt: 10 digits (6 on receipts issued before).")] string Pin);
