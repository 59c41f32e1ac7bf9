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
                + "Retry-After, unevaluated. Wrong 6-digit PINs are also counted per code, but an address's first try is always evaluated.");
        return app;
    }

    private static async Task<Ok<LookupView>> LookupAsync(string code,
        // Required in the description: without a PIN no dossier is ever found, though the answer stays the same 404 as a wrong one.
        [Required, Description("The lookup PIN on the receipt: 10 digits (6 on receipts issued before). Missing or wrong, the answer is 404 lookup-not-found, as for an unknown code.")] string? pin,
        HttpContext http, DossierStore store, ProcedureCatalog catalog, CalendarStore calendars,
        TimeProvider time, PinTryGuard guard, ILogger<PinTryGuard> logger, CancellationToken cancellationToken)
    {
        var notFound = new Problems.ProblemException(404, "lookup-not-found", "Không tìm thấy hồ sơ với mã và mã tra cứu này",
            "No dossier with this code and PIN");
        if (!DossierCode.TryParse(code, out _) || !LookupPins.IsWellFormed(pin)) throw notFound;
        var address = LookupGuards.ClientAddress(http);
        await guard.ClaimTryAsync(code, address, LookupPins.IsOld(pin), logger, cancellationToken);
        var found = await store.GetAsync(code, cancellationToken);
        if (found is not { } f || !LookupPins.Matches(f.Dossier.LookupPin, pin)) throw notFound;
        await guard.ForgetAsync(code, address, cancellationToken);

        var d = f.Dossier;
        var units = await catalog.UnitsAsync(cancellationToken);
        var calendar = await calendars.CurrentAsync(cancellationToken);
        var left = d.DueAt is { } due && d.FinishedAt is null ? calendar.Remaining(d.PausedAt ?? time.GetUtcNow(), due).Vietnamese : null;
        return TypedResults.Ok(new LookupView(d.PartitionKey, d.ProcedureName, units.TryGetValue(d.ReceivingUnit, out var unit) ? unit.Name : d.ReceivingUnit,
            StatusView.Of((DossierStatus)d.Status), d.SubmittedAt, d.DueAt, left, TimelinessView.Of(d.Timeliness),
            [.. f.History.OrderBy(h => h.Sequence).Select(LookupStep.Of)]));
    }
}
