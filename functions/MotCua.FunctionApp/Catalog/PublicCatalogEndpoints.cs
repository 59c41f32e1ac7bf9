using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Lookup;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Catalog;

/// <summary>A receiving unit as citizens see it: its code and name.</summary>
public sealed record PublicUnit(string Code, string Name);

/// <summary>A published procedure as anyone may read it: what to bring, how long it takes, what it costs, where to go; no workflow.</summary>
public sealed record PublicProcedure(string Code, int Version, string Name, string Field, IReadOnlyList<DocumentComponent> Components,
    [property: Description("The time limit in working days.")] decimal ProcessingDays,
    [property: Description("The fee in Vietnamese đồng; 0 when free.")] decimal Fee,
    [property: Description("full: submitted and answered wholly online; partial: some steps at the desk.")] string OnlineLevel,
    string OnlineLevelName, IReadOnlyList<PublicUnit> ReceivingUnits)
{
    public static PublicProcedure Of(Procedure p, IReadOnlyDictionary<string, Unit> units) => new(p.Code, p.Version, p.Name, p.Field, p.Components,
        p.ProcessingDays, p.Fee, p.OnlineLevel, NameOfOnlineLevel(p.OnlineLevel),
        [.. p.ReceivingUnits.Select(u => new PublicUnit(u, units.TryGetValue(u, out var unit) ? unit.Name : u))]);

    public static string NameOfOnlineLevel(string level) => level switch
    {
        "full" => "Dịch vụ công trực tuyến toàn trình",
        "partial" => "Dịch vụ công trực tuyến một phần",
        _ => level,
    };
}

/// <summary>
/// The published procedures for anyone, without signing in: a word search that ignores diacritics (the folding of
/// <see cref="VietnameseText.Fold"/>, as the dossier search), and one procedure's current version. The page
/// <c>/thu-tuc</c> shows the same.
/// </summary>
public static class PublicCatalogEndpoints
{
    public const int MaxQueryLength = 200;

    public static IEndpointRouteBuilder MapPublicCatalog(this IEndpointRouteBuilder app)
    {
        app.MapFunction("ListPublicProcedures", new HttpTrigger("GET", "public/procedures", Anonymous: true), ListAsync)
            .RequireRateLimiting(PublicLookupEndpoints.Policy)
            .ProducesProblems(ProblemTypes.InvalidFields, ProblemTypes.TooManyLookups)
            .WithSummary("Search the published procedures; no sign-in")
            .WithDescription("Every published procedure's current version, or with q those whose code, name or field contain every word of q, "
                + "with or without diacritics (\"dang ky ket hon\" finds \"Đăng ký kết hôn\"); at most 200 characters.");
        app.MapFunction("GetPublicProcedure", new HttpTrigger("GET", "public/procedures/{code}", Anonymous: true), GetAsync)
            .RequireRateLimiting(PublicLookupEndpoints.Policy)
            .ProducesProblems(ProblemTypes.UnknownProcedure, ProblemTypes.TooManyLookups)
            .WithSummary("Read a published procedure; no sign-in")
            .WithDescription("Its required components, time limit, fee, receiving units and online level.");
        return app;
    }

    /// <summary>The procedures matching every folded word of the query, by name; a blank query lists all.</summary>
    public static async Task<IReadOnlyList<PublicProcedure>> SearchAsync(ProcedureCatalog catalog, string? query, CancellationToken cancellationToken)
    {
        if (query is { Length: > MaxQueryLength } || (query is not null && SafeText.Check("q", query) is not null))
            throw BadRequest("q", "Từ khóa tìm kiếm tối đa 200 ký tự, không chứa ký tự điều khiển.", "A search is at most 200 characters, without control characters.");
        var words = VietnameseText.Fold(query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var units = await catalog.UnitsAsync(cancellationToken);
        return [.. (await catalog.ListProceduresAsync(cancellationToken))
            .Where(p => words.Length == 0 || VietnameseText.Fold($"{p.Code} {p.Name} {p.Field}") is var text && words.All(w => text.Contains(w, StringComparison.Ordinal)))
            .OrderBy(p => p.Name, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("vi-VN"), false))
            .Select(p => PublicProcedure.Of(p, units))];
    }

    /// <summary>One published procedure, or 422 unknown-procedure as the signed-in catalogue answers.</summary>
    public static async Task<PublicProcedure> FindAsync(ProcedureCatalog catalog, string code, CancellationToken cancellationToken)
    {
        var procedure = ProcedureCatalog.IsValidCode(code) ? await catalog.FindProcedureAsync(code, cancellationToken) : null;
        return PublicProcedure.Of(procedure ?? throw UnknownProcedure(code), await catalog.UnitsAsync(cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<PublicProcedure>>> ListAsync(
        [Description("Words to find in the code, name or field, with or without diacritics; at most 200 characters.")] string? q,
        ProcedureCatalog catalog, CancellationToken cancellationToken) => TypedResults.Ok(await SearchAsync(catalog, q, cancellationToken));

    private static async Task<Ok<PublicProcedure>> GetAsync(string code, ProcedureCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await FindAsync(catalog, code, cancellationToken));
}
