using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Lookup;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;
using MotCua.Signing.Appearance;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Issuance;

/// <summary>
/// A dossier's result from draft to the citizen: the specialist attaches it, the chairman's phone
/// signs it with the approval, the finish has it sealed, the citizen downloads it; anyone can check
/// an issued document, by its QR code or by sending the file.
/// </summary>
public static class ResultEndpoints
{
    public static IServiceCollection AddIssuance(this IServiceCollection services)
    {
        services.AddOptions<ResultOptions>().BindConfiguration(ResultOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ResultStore>();
        services.AddSingleton<ResultFiles>();
        services.AddOptions<AppearanceOptions>().BindConfiguration(AppearanceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new SignatureAppearances(sp.GetRequiredService<IOptions<AppearanceOptions>>().Value));
        services.AddSingleton<ResultAppearance>();
        services.AddSingleton<ResultAttachment>();
        services.AddSingleton<ResultSigning>();
        services.AddSingleton<Signing.PhoneKeyCertificates>();
        services.AddSingleton<PublicDocumentChecks>();
        services.AddQueueFunction<ResultSealRequest, ResultSealFunction>(ResultSealFunction.Declaration);
        return services;
    }

    public static IEndpointRouteBuilder MapIssuance(this IEndpointRouteBuilder app)
    {
        app.MapFunction("AttachResult", new HttpTrigger("PUT", "dossiers/{code}/result"), AttachAsync)
            .WithMetadata(new FileBody("application/pdf"))
            .ProducesProblems([.. ProblemTypes.VisibleDossier, ProblemTypes.InvalidFields, ProblemTypes.BadFileName, ProblemTypes.EmptyFile,
                ProblemTypes.ResultLocked, ProblemTypes.ResultNotAttachableNow, ProblemTypes.ResultChanged, ProblemTypes.FileTooLarge,
                ProblemTypes.UnsupportedDocumentType, ProblemTypes.ResultNotSignable])
            .WithSummary("Attach the dossier's result")
            .WithDescription("The specialist handling the dossier attaches its result (a certificate, licence or decision) as a PDF body, before submitting "
                + "for approval; attaching again replaces the draft. The optional fileName query names it.");
        app.MapFunction("GetResult", new HttpTrigger("GET", "dossiers/{code}/result"), GetAsync)
            .ProducesProblems([.. ProblemTypes.VisibleDossier, ProblemTypes.ResultNotFound])
            .WithSummary("Read where the dossier's result is")
            .WithDescription("The result's stage (draft, person-signed, issued, cancelled), who signed it and when, and the address of its public check.");
        app.MapFunction("DownloadResult", new HttpTrigger("GET", "dossiers/{code}/result/file"), DownloadAsync)
            .Produces(200, contentType: "application/pdf")
            .ProducesProblems([.. ProblemTypes.VisibleDossier, ProblemTypes.ResultNotFound, ProblemTypes.ResultNotIssued])
            .WithSummary("Download the dossier's result")
            .WithDescription("The citizen downloads the issued result, signed by the competent person and sealed by the agency; officials download the file at its current stage.");
        app.MapFunction("PrepareResultSignature", new HttpTrigger("POST", "dossiers/{code}/result/signing"), PrepareAsync)
            .Accepts<SigningPreparationForm>("application/json")
            .ProducesProblems([.. ProblemTypes.JsonBody, .. ProblemTypes.VisibleDossier, ProblemTypes.InvalidFields, ProblemTypes.SignatureRefused,
                ProblemTypes.ResultNotFound, ProblemTypes.ResultLocked, ProblemTypes.ActionNotAllowedNow, ProblemTypes.DeviceCertificateRequired,
                ProblemTypes.ResultNotSignable])
            .WithSummary("Prepare the result for the approver's phone signature")
            .WithDescription("For the chairman at the approval step: the result is prepared for the device key's certificate (QR code and signature block in "
                + "place) and the phone gets the digest to sign (ECDSA P-256 over SHA-256; digestToSign is the hash of signedAttributes). The approval then "
                + "carries resultSignature {preparationId, value} beside the approval statement's signature. See mobile-contracts/approval-signature.md.");
        app.MapFunction("CancelResult", new HttpTrigger("POST", "dossiers/{code}/result/cancel"), CancelAsync)
            .Accepts<CancelResultForm>("application/json")
            .ProducesProblems([.. ProblemTypes.JsonBody, .. ProblemTypes.VisibleDossier, ProblemTypes.InvalidFields, ProblemTypes.ResultNotFound,
                ProblemTypes.ResultNotIssued, ProblemTypes.ResultChanged])
            .WithSummary("Cancel an issued result")
            .WithDescription("The chairman of the receiving unit cancels an issued result with a reason; its public check says so from then on and the citizen is told.");
        app.MapFunction("CheckIssuedDocument", new HttpTrigger("GET", "public/documents/{checkId}", Anonymous: true), CheckAsync)
            .RequireRateLimiting(PublicLookupEndpoints.Policy)
            .ProducesProblems(ProblemTypes.DocumentCheckNotFound, ProblemTypes.TooManyLookups)
            .WithSummary("Public check of an issued document by the id its QR code carries; no sign-in")
            .WithDescription("Who signed it and when, whether each signature is valid, whether it was cancelled, and the dossier it belongs to; nothing else. "
                + "A browser asking for HTML rather than JSON (a QR code printed before results carried /xac-thuc/{checkId}) is redirected to that page.");
        app.MapFunction("VerifyDocumentFile", new HttpTrigger("POST", "public/documents/verification", Anonymous: true), VerifyFileAsync)
            .WithMetadata(new FileBody("application/pdf"))
            .RequireRateLimiting(PublicLookupEndpoints.Policy)
            .ProducesProblems(ProblemTypes.FileTooLarge, ProblemTypes.UnsupportedDocumentType, ProblemTypes.TooManyLookups)
            .WithSummary("Public check of a PDF file; no sign-in")
            .WithDescription("Send a PDF (size-limited; never stored): its signatures are verified, and if MotCua issued exactly this file, the answer names its dossier and whether it was cancelled.")
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Ok<ResultView>> AttachAsync(string code, string? fileName, HttpRequest request, ClaimsPrincipal principal,
        ResultAttachment attachment, IOptions<ResultOptions> options, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/pdf", StringComparison.OrdinalIgnoreCase)) throw ResultProblems.NotAPdf();
        var row = await attachment.AttachAsync(code, CurrentUser.From(principal), fileName, request.Body, request.ContentLength, cancellationToken);
        return TypedResults.Ok(ResultView.Of(row, options.Value));
    }

    private static async Task<Ok<ResultView>> GetAsync(string code, ClaimsPrincipal principal, DossierStore dossiers, ResultStore results,
        IOptions<ResultOptions> options, CancellationToken cancellationToken)
    {
        var (_, row) = await ReadAsync(code, CurrentUser.From(principal), dossiers, results, cancellationToken);
        return TypedResults.Ok(ResultView.Of(row, options.Value));
    }

    private static async Task<FileStreamHttpResult> DownloadAsync(string code, ClaimsPrincipal principal, DossierStore dossiers, ResultStore results,
        ResultFiles files, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        var (_, row) = await ReadAsync(code, user, dossiers, results, cancellationToken);
        var blob = user.IsOfficial || user.Role == Roles.Admin
            ? row.IssuedBlob ?? row.PersonSignedBlob ?? row.DraftBlob
            : row.StageValue == ResultStage.Issued ? row.IssuedBlob! : throw ResultProblems.NotIssued(row.StageValue);
        return TypedResults.Stream(await files.OpenReadAsync(blob, cancellationToken), "application/pdf", row.FileName);
    }

    private static async Task<Ok<SigningPreparationView>> PrepareAsync(string code, HttpRequest request, ClaimsPrincipal principal, ResultSigning signing,
        CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadRequiredAsync<SigningPreparationForm>(request, JsonBody.SmallFormBytes, cancellationToken);
        return TypedResults.Ok(await signing.PrepareAsync(code, CurrentUser.From(principal), form, cancellationToken));
    }

    private static async Task<Ok<ResultView>> CancelAsync(string code, HttpRequest request, ClaimsPrincipal principal, DossierStore dossiers,
        ResultStore results, Notifier notifier, TimeProvider time, IOptions<ResultOptions> options, CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadRequiredAsync<CancelResultForm>(request, JsonBody.SmallFormBytes, cancellationToken);
        if (SafeText.Check("reason", form.Reason, LineBreaks.Allowed) is { } unsafeReason) throw InvalidFields([unsafeReason]);
        if (string.IsNullOrWhiteSpace(form.Reason) || form.Reason.Length > 2000)
            throw BadRequest("reason", "Lý do hủy bắt buộc, tối đa 2000 ký tự.", "A reason is required, at most 2000 characters.");
        var user = CurrentUser.From(principal);
        var (d, row) = await ReadAsync(code, user, dossiers, results, cancellationToken);
        if (user.Role != Roles.Chairman || user.Unit != d.ReceivingUnit)
            throw Forbidden("Chỉ chủ tịch đơn vị tiếp nhận hủy kết quả đã ban hành.", "Only the receiving unit's chairman cancels an issued result.");
        if (row.StageValue != ResultStage.Issued) throw ResultProblems.NotIssued(row.StageValue);
        row.Stage = (int)ResultStage.Cancelled;
        row.CancelledAt = time.GetUtcNow();
        row.CancelledBy = user.Id;
        row.CancelReason = form.Reason.Trim();
        try
        {
            await results.SaveAsync(row, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 409 or 412)
        {
            throw ResultProblems.ResultChanged();
        }
        if (d.OwnerId.Length > 0)
            await notifier.NotifyAsync(new CitizenAudience(d.OwnerId), new NotificationFacts(NotificationKinds.ResultCancelled, code, d.ProcedureName,
                (DossierStatus)d.Status, null, row.CancelReason), row.CancelledAt.Value, $"result-{row.Revision}-cancelled", cancellationToken);
        return TypedResults.Ok(ResultView.Of(row, options.Value));
    }

    private static async Task<Results<Ok<PublicDocumentCheck>, RedirectHttpResult>> CheckAsync(string checkId, HttpRequest request, PublicDocumentChecks checks,
        CancellationToken cancellationToken)
    {
        // QR codes printed before the page existed carry this address: a phone's browser asks for HTML and is sent to the page.
        if (PublicPages.PublicPage.BrowserWantsPage(request) && ResultStore.IsWellFormedCheckId(checkId))
            return TypedResults.Redirect($"/xac-thuc/{checkId}");
        return TypedResults.Ok(await checks.ByCheckIdAsync(checkId, cancellationToken));
    }

    private static async Task<Ok<PublicDocumentCheck>> VerifyFileAsync(HttpRequest request, PublicDocumentChecks checks, CancellationToken cancellationToken)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/pdf", StringComparison.OrdinalIgnoreCase)) throw ResultProblems.NotAPdf();
        return TypedResults.Ok(await checks.ForFileAsync(request.Body, request.ContentLength, cancellationToken));
    }

    private static async Task<(DossierEntity Dossier, ResultEntity Result)> ReadAsync(string code, CurrentUser user, DossierStore dossiers, ResultStore results,
        CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        var found = await dossiers.GetAsync(code, cancellationToken) ?? throw DossierNotFound(code);
        DossierReader.EnsureMaySee(user, found.Dossier);
        var row = await results.FindAsync(code, cancellationToken) ?? throw ResultProblems.NoResult(code);
        // A citizen learns of a result only once it is issued: drafts are the office's business.
        if (user.Role == Roles.Citizen && row.StageValue is ResultStage.Draft or ResultStage.PersonSigned) throw ResultProblems.NoResult(code);
        return (found.Dossier, row);
    }
}
