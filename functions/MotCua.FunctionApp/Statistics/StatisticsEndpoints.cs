using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Units;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Hosting;
using static MotCua.FunctionApp.Problems.Problems;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Statistics;

public static class StatisticsEndpoints
{
    public static IServiceCollection AddStatistics(this IServiceCollection services) => services.AddSingleton<UnitStatistics>();

    public static IEndpointRouteBuilder MapStatistics(this IEndpointRouteBuilder app)
    {
        app.MapFunction("GetStatistics", new HttpTrigger("GET", "units/{unit}/statistics"), ComputeAsync).ProducesProblems(ProblemTypes.MalformedRequest, ProblemTypes.InvalidFields, ProblemTypes.Forbidden)
            .WithSummary("A unit's figures for the period from ?from= to ?to= (Vietnamese dates, at most 366 days), as the national report has them")
            .WithDescription("Dossiers received (accepted at the desk) in the period and carried over from before it, and how the period "
                + "left them: " + StatisticsView.Identity + ". Dossiers awaiting reception and those refused at intake are counted apart. "
                + "Also the on-time rate, the online share, and the late dossiers with where the time was lost.");
        return app;
    }

    private static async Task<Ok<StatisticsView>> ComputeAsync(string unit, DateOnly? from, DateOnly? to, ClaimsPrincipal principal,
        UnitStatistics statistics, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        if (!AgencyCodes.IsValid(unit)) throw BadRequest("unit", "Mã đơn vị không hợp lệ.", "The unit code is not valid.");
        if (user.Role != Roles.Admin && !(user.IsOfficial && user.Unit == unit))
            throw Forbidden("Chỉ cán bộ của đơn vị xem số liệu của đơn vị.", "Only the unit's officials see its figures.");
        if (from is null || to is null || to < from || to.Value.DayNumber - from.Value.DayNumber > 366 || from.Value.Year < 2000 || to.Value.Year > 2098)
            throw BadRequest("from", "Cần ?from=YYYY-MM-DD&to=YYYY-MM-DD, không quá 366 ngày.", "Give ?from=YYYY-MM-DD&to=YYYY-MM-DD, at most 366 days apart.");
        return TypedResults.Ok(await statistics.ComputeAsync(unit, from.Value, to.Value, cancellationToken));
    }
}
