using System.Security.Claims;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Dossiers;

public static class DossierEndpoints
{
    public static IEndpointRouteBuilder MapDossiers(this IEndpointRouteBuilder app)
    {
        app.MapFunction(FunctionCatalog.SubmitDossier, SubmitAsync)
            .Accepts<DossierSubmissionForm>("multipart/form-data")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(413).ProducesProblem(415).ProducesProblem(422)
            .WithSummary("Submit a dossier: a JSON 'dossier' part, then one or more PDF 'document' parts")
            .DisableAntiforgery();
        app.MapFunction(FunctionCatalog.GetDossier, GetAsync)
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404)
            .WithSummary("A dossier with its status, documents and history");
        return app;
    }

    private static async Task<Created<SubmittedDossier>> SubmitAsync(HttpRequest request, ClaimsPrincipal principal, DossierIntake intake, CancellationToken cancellationToken)
    {
        var submitted = await intake.SubmitAsync(request, CurrentUser.From(principal), cancellationToken);
        return TypedResults.Created($"{FunctionEndpoints.RoutePrefix}dossiers/{submitted.Code}", submitted);
    }

    private static async Task<Ok<DossierView>> GetAsync(string code, ClaimsPrincipal principal, DossierStore dossiers, MotCuaTables tables, CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        var found = await dossiers.GetAsync(code, cancellationToken) ?? throw DossierNotFound(code);
        var user = CurrentUser.From(principal);
        var allowed = user.Role == Roles.Admin
            || (user.Role == Roles.Citizen && found.Dossier.SubmittedBy == user.Id)
            || (user.IsOfficial && found.Dossier.ReceivingUnit == user.Unit);
        if (!allowed) throw Forbidden("Bạn không có quyền xem hồ sơ này.", "You may not see this dossier.");

        var documents = new List<DocumentEntity>();
        await foreach (var d in tables.Documents.QueryAsync<DocumentEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {found.Dossier.DossierId}"), cancellationToken: cancellationToken))
        {
            documents.Add(d);
        }
        return TypedResults.Ok(DossierView.Of(found.Dossier, documents, found.History));
    }
}

/// <summary>The multipart form, for the API description: the JSON 'dossier' part first, then the files.</summary>
public sealed record DossierSubmissionForm(DossierForm Dossier, IFormFileCollection Document);
