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

namespace MotCua.FunctionApp.Forms;

public static class FormEndpoints
{
    public static IServiceCollection AddForms(this IServiceCollection services)
    {
        services.AddOptions<FormOptions>().BindConfiguration(FormOptions.Section);
        services.AddSingleton<DossierForms>();
        services.AddSingleton<DossierApologies>();
        services.AddSingleton<Correspondence.Registers.RegisterPdf>();
        return services;
    }

    public static IEndpointRouteBuilder MapForms(this IEndpointRouteBuilder app)
    {
        app.MapFunction("GetForm", new HttpTrigger("GET", "dossiers/{code}/forms/{kind}"), RenderAsync).Produces(200, contentType: "application/pdf")
            .ProducesProblems([.. ProblemTypes.VisibleDossier, ProblemTypes.UnknownForm, ProblemTypes.FormNotIssued])
            .WithSummary("Download a form as PDF")
            .WithDescription("A form as PDF: receipt, supplement-request, refusal or apology.");
        app.MapFunction("RecordApology", new HttpTrigger("POST", "dossiers/{code}/apology"), ApologizeAsync)
            .Accepts<ApologyDetails>("application/json")
            .ProducesProblems([.. ProblemTypes.JsonBody, .. ProblemTypes.VisibleDossier, ProblemTypes.InvalidFields, ProblemTypes.NotLate, ProblemTypes.DossierChanged, ProblemTypes.IfMatchRequired])
            .WithSummary("Record an apology for a late dossier")
            .WithDescription("Record the apology and new date a late dossier owes; If-Match: the dossier's ETag.");
        return app;
    }

    private static async Task<FileContentHttpResult> RenderAsync(string code, string kind, ClaimsPrincipal principal, DossierStore store, MotCuaTables tables,
        DossierForms forms, CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        if (!DossierForms.TryParseKind(kind, out var form))
            throw new Problems.ProblemException(404, "unknown-form", "Biểu mẫu không tồn tại", "Unknown form", $"Không có biểu mẫu '{kind}'.", $"There is no form '{kind}'.");
        var found = await store.GetAsync(code, cancellationToken) ?? throw DossierNotFound(code);
        DossierReader.EnsureMaySee(CurrentUser.From(principal), found.Dossier);
        var documents = new List<DocumentEntity>();
        await foreach (var document in tables.Documents.QueryAsync<DocumentEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {found.Dossier.DossierId}"), cancellationToken: cancellationToken))
        {
            documents.Add(document);
        }
        var pdf = await forms.RenderAsync(form, found.Dossier, found.History, documents, cancellationToken)
            ?? throw new Problems.ProblemException(409, "form-not-issued", "Hồ sơ chưa có biểu mẫu này", "The dossier has no such form yet",
                $"Biểu mẫu '{kind}' chưa được lập cho hồ sơ ở trạng thái hiện tại.", $"Form '{kind}' has not been issued for the dossier as it stands.");
        return TypedResults.File(pdf, "application/pdf", $"{code}-{kind}.pdf");
    }

    private static async Task<NoContent> ApologizeAsync(string code, ClaimsPrincipal principal, HttpRequest request,
        DossierApologies apologies, CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        var version = IfMatch.Version(request) ?? throw PreconditionRequired();
        var form = await JsonBody.ReadRequiredAsync<ApologyDetails>(request, JsonBody.SmallFormBytes, cancellationToken);
        try
        {
            await apologies.RecordAsync(code, version, CurrentUser.From(principal), form, cancellationToken);
        }
        catch (DossierVersionConflictException e)
        {
            throw VersionConflict(e.CurrentVersion);
        }
        return TypedResults.NoContent();
    }
}
