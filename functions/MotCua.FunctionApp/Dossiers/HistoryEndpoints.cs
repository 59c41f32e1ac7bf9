using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Dossiers;
using MotCua.Domain.History;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Hosting;
using static MotCua.FunctionApp.Problems.Problems;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Dossiers;

public sealed record HistoryVerification(string Code, bool Valid, int Entries, int? FirstBrokenSequence, bool MatchesDossier);

public static class HistoryEndpoints
{
    public static IEndpointRouteBuilder MapHistoryVerification(this IEndpointRouteBuilder app)
    {
        app.MapFunction("VerifyHistory", new HttpTrigger("GET", "dossiers/{code}/history/verification"), VerifyAsync).ProducesProblems([.. ProblemTypes.VisibleDossier])
            .WithSummary("Verify a dossier's history")
            .WithDescription("Recompute the history's hash chain: any altered, removed or inserted entry breaks it.");
        return app;
    }

    private static async Task<Ok<HistoryVerification>> VerifyAsync(string code, ClaimsPrincipal principal, DossierStore store, CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        var found = await store.GetAsync(code, cancellationToken) ?? throw DossierNotFound(code);
        DossierReader.EnsureMaySee(CurrentUser.From(principal), found.Dossier);
        var broken = HistoryChain.FindFirstBreak(found.History);
        // The dossier row remembers the last hash: truncating the history's tail is caught too.
        var last = found.History.OrderBy(h => h.Sequence).LastOrDefault();
        var matches = last is not null && last.Sequence == found.Dossier.HistoryCount && last.Hash == found.Dossier.LastHistoryHash;
        return TypedResults.Ok(new HistoryVerification(code, broken is null && matches, found.History.Count, broken, matches));
    }
}
