using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Workflow;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Hosting;
using static MotCua.FunctionApp.Problems.Problems;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Dossiers;

public static class DossierEndpoints
{
    public static IServiceCollection AddDossiers(this IServiceCollection services)
    {
        services.AddSingleton<DossierCodeAllocator>();
        services.AddSingleton<DossierStore>();
        services.AddSingleton<StepNames>();
        services.AddSingleton<DossierReader>();
        services.AddSingleton<DossierActions>();
        services.AddSingleton<DossierIntake>();
        services.AddSingleton<SubmissionKeys>();
        services.AddQueueFunction<DocumentReceivedMessage, DocumentReceivedFunction>(DocumentReceivedFunction.Declaration);
        return services;
    }

    public static IEndpointRouteBuilder MapDossiers(this IEndpointRouteBuilder app)
    {
        app.MapFunction("SubmitDossier", new HttpTrigger("POST", "dossiers"), SubmitAsync)
            .Accepts<DossierSubmissionForm>("multipart/form-data")
            .ProducesProblems([.. ProblemTypes.DocumentParts, ProblemTypes.DossierPartFirst, ProblemTypes.MalformedJson, ProblemTypes.InvalidFields, ProblemTypes.Forbidden, ProblemTypes.SubmissionInProgress, ProblemTypes.UnknownProcedure, ProblemTypes.UnitNotReceiving, ProblemTypes.IdempotencyKeyReused])
            .WithSummary("Submit a dossier")
            .WithDescription("Submit a dossier: a JSON 'dossier' part, then one or more PDF 'document' parts. "
                + "With an Idempotency-Key header, a retry returns the dossier the first attempt created (200).")
            .DisableAntiforgery();
        app.MapFunction("GetDossier", new HttpTrigger("GET", "dossiers/{code}"), GetAsync)
            .ProducesProblems([.. ProblemTypes.VisibleDossier])
            .WithSummary("Read a dossier")
            .WithDescription("A dossier with its status, progress, documents and history; the ETag is its version.");
        app.MapFunction("TakeAction", new HttpTrigger("POST", "dossiers/{code}/actions/{action}"), ActAsync)
            .Accepts<ActionForm>(isOptional: true, "application/json")
            .ProducesProblems([.. ProblemTypes.OptionalJsonBody, .. ProblemTypes.VisibleDossier, ProblemTypes.InvalidFields, ProblemTypes.SignatureRequired, ProblemTypes.SignatureRefused, ProblemTypes.UnknownAction, ProblemTypes.ActionNotAllowedNow, ProblemTypes.DossierChanged, ProblemTypes.ActionAlreadyRecorded, ProblemTypes.UnknownUnit, ProblemTypes.IfMatchRequired,
                ProblemTypes.ResultSignatureRequired, ProblemTypes.SigningPreparationNotFound, ProblemTypes.SigningPreparationExpired, ProblemTypes.ResultChanged,
                ProblemTypes.DeviceCertificateRequired])
            .WithSummary("Take a workflow action on a dossier")
            .WithDescription("Take an action (accept, refuse, request-supplement, receive-supplement, request-fees, record-payment, hand-over, "
                + "submit-for-approval, approve, send-back, finish, return-result, withdraw, stop) with If-Match: the dossier's ETag. "
                + "An approval of a dossier whose result waits to be signed carries resultSignature, the phone's signature over the prepared result; "
                + "a finish has a signed result sealed by the agency and delivered to the citizen.");
        return app;
    }

    private static async Task<Results<Created<SubmittedDossier>, Ok<SubmittedDossier>>> SubmitAsync(HttpRequest request, ClaimsPrincipal principal,
        DossierIntake intake, SubmissionKeys keys, DossierStore store, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        var key = SubmissionKeys.Read(request);
        var claim = key is null ? null : await keys.ClaimAsync(user.Id, key, cancellationToken);
        if (claim is { Created: true, ReservedCode: { } earlier } && await store.GetAsync(earlier, cancellationToken) is { } found)
        {
            var d = found.Dossier;
            return TypedResults.Ok(new SubmittedDossier(d.PartitionKey, d.LookupPin, StatusView.Of((DossierStatus)d.Status), d.DocumentCount, d.SubmittedAt));
        }

        SubmittedDossier submitted;
        try
        {
            submitted = await intake.SubmitAsync(request, user, claim, cancellationToken);
        }
        catch when (claim is not null)
        {
            await keys.ReleaseAsync(claim);
            throw;
        }
        return TypedResults.Created($"{FunctionEndpoints.RoutePrefix}dossiers/{submitted.Code}", submitted);
    }

    private static async Task<Ok<DossierView>> GetAsync(string code, ClaimsPrincipal principal, DossierReader reader, HttpResponse response, CancellationToken cancellationToken)
    {
        var view = await reader.ReadAsync(code, CurrentUser.From(principal), cancellationToken);
        response.Headers.ETag = IfMatch.ETagOf(view.Version);
        return TypedResults.Ok(view);
    }

    private static async Task<Ok<DossierView>> ActAsync(string code, string action, ClaimsPrincipal principal, HttpRequest request,
        HttpResponse response, DossierActions actions, DossierReader reader, DossierStore store, CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        if (!DossierActionNames.TryParse(action, out var parsed)) throw UnknownAction(action);
        var user = CurrentUser.From(principal);
        var version = IfMatch.Version(request) ?? throw PreconditionRequired();
        var form = await JsonBody.ReadAsync<ActionForm>(request, JsonBody.SmallFormBytes, cancellationToken) ?? new ActionForm();
        try
        {
            await actions.TakeAsync(code, version, user, parsed, form, cancellationToken);
        }
        catch (DossierVersionConflictException e)
        {
            throw ActionConflicts.Explain(version, e.CurrentVersion, await store.HistoryAsync(code, cancellationToken), user.Id, parsed, form.Signature);
        }
        var view = await reader.ReadAsync(code, user, cancellationToken);
        response.Headers.ETag = IfMatch.ETagOf(view.Version);
        return TypedResults.Ok(view);
    }
}

/// <summary>The multipart form, for the API description: the JSON 'dossier' part first, then the files.</summary>
public sealed record DossierSubmissionForm(DossierForm Dossier, IFormFileCollection Document);
