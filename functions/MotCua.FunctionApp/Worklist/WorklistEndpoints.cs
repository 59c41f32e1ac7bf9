using System.Security.Claims;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Worklist;

public sealed record WorklistItem(string Code, StatusView Status, string ProcedureName, string ApplicantName, string ReceivingUnit,
    int Step, string? StepName, string? StepRole, DateTimeOffset? StepDueAt, DateTimeOffset? DueAt, DateTimeOffset UpdatedAt);

/// <summary>The lists people work from: a unit's dossiers, a chairman's approvals, a citizen's own dossiers.</summary>
public static class WorklistEndpoints
{
    public static IServiceCollection AddWorklists(this IServiceCollection services) =>
        services.AddQueueFunction<DossierEvent, WorklistFunction>(WorklistFunction.Declaration);

    public static IEndpointRouteBuilder MapWorklists(this IEndpointRouteBuilder app)
    {
        app.MapFunction("ListWorklist", new HttpTrigger("GET", "worklist"), UnitListAsync).ProducesProblems(ProblemTypes.MalformedRequest, ProblemTypes.Forbidden)
            .WithSummary("List the unit's worklist")
            .WithDescription("Dossiers your unit holds, most urgent first; ?mine=true keeps those at a step for your role.");
        app.MapFunction("ListApprovals", new HttpTrigger("GET", "approvals"), ApprovalsAsync).ProducesProblems(ProblemTypes.Forbidden)
            .WithSummary("List dossiers awaiting approval")
            .WithDescription("Dossiers waiting for your approval, most urgent first.");
        app.MapFunction("ListMyDossiers", new HttpTrigger("GET", "me/dossiers"), MineAsync).ProducesProblems(ProblemTypes.Forbidden)
            .WithSummary("List the caller's own dossiers")
            .WithDescription("Your own dossiers, most recently changed first.");
        return app;
    }

    private static async Task<Ok<List<WorklistItem>>> UnitListAsync(bool? mine, ClaimsPrincipal principal, MotCuaTables tables, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        if (!user.IsOfficial || user.Unit is null) throw Forbidden("Danh sách công việc dành cho cán bộ.", "Work lists are for officials.");
        var rows = await ReadAsync(tables, WorklistEntity.Holder(user.Unit), cancellationToken);
        return TypedResults.Ok(Urgent(rows.Where(r => mine != true || r.StepRole == user.Role || (user.Role == Roles.Clerk && r.StepRole is null))));
    }

    private static async Task<Ok<List<WorklistItem>>> ApprovalsAsync(ClaimsPrincipal principal, MotCuaTables tables, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        if (user.Role != Roles.Chairman || user.Unit is null) throw Forbidden("Danh sách chờ phê duyệt dành cho lãnh đạo.", "The approval list is for chairmen.");
        var rows = await ReadAsync(tables, WorklistEntity.Holder(user.Unit), cancellationToken);
        return TypedResults.Ok(Urgent(rows.Where(r => r.Status == (int)DossierStatus.InProgress && r.StepRole == Roles.Chairman)));
    }

    private static async Task<Ok<List<WorklistItem>>> MineAsync(ClaimsPrincipal principal, MotCuaTables tables, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        if (user.Role != Roles.Citizen) throw Forbidden("Danh sách này dành cho công dân.", "This list is for citizens.");
        var rows = await ReadAsync(tables, WorklistEntity.Owner(user.Id), cancellationToken);
        return TypedResults.Ok(rows.OrderByDescending(r => r.UpdatedAt).Select(Item).ToList());
    }

    private static List<WorklistItem> Urgent(IEnumerable<WorklistEntity> rows) =>
        [.. rows.OrderBy(r => r.StepDueAt ?? r.DueAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.UpdatedAt).Select(Item)];

    private static async Task<List<WorklistEntity>> ReadAsync(MotCuaTables tables, string partition, CancellationToken cancellationToken)
    {
        var rows = new List<WorklistEntity>();
        await foreach (var row in tables.Worklist.QueryAsync<WorklistEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: cancellationToken))
        {
            if (!row.Removed) rows.Add(row);
        }
        return rows;
    }

    private static WorklistItem Item(WorklistEntity r) => new(r.RowKey, StatusView.Of((DossierStatus)r.Status), r.ProcedureName, r.ApplicantName,
        r.ReceivingUnit, r.Step, r.StepName, r.StepRole, r.StepDueAt, r.DueAt, r.UpdatedAt);
}
