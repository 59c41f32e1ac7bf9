using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Issuance;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

public static class OutgoingEndpoints
{
    public static IServiceCollection AddOutgoingCorrespondence(this IServiceCollection services)
    {
        services.AddSingleton<OutgoingStore>();
        services.AddSingleton<OutgoingAccess>();
        services.AddSingleton<OutgoingDrafting>();
        services.AddSingleton<OutgoingReview>();
        services.AddSingleton<OutgoingSigning>();
        services.AddSingleton<Func<MotCua.Signing.RemoteSigning.CscClient>>(sp => () => sp.GetRequiredService<MotCua.Signing.RemoteSigning.CscClient>());
        services.AddSingleton<OutgoingNumbering>();
        services.AddSingleton<IncomingDelivery>();
        services.AddSingleton<IOutgoingEventHandler, OutgoingSealing>();
        services.AddSingleton<OutgoingDelivery>();
        services.AddSingleton<IOutgoingEventHandler>(sp => sp.GetRequiredService<OutgoingDelivery>());
        services.AddSingleton<IOutgoingEventHandler, OutgoingRecallDelivery>();
        services.AddSingleton<IOutgoingEventHandler, OutgoingReplacement>();
        services.AddSingleton<IOutgoingEventHandler, OutgoingUpdateDelivery>();
        services.AddSingleton<IIncomingEventHandler, OutgoingStatusFeedback>();
        services.AddQueueFunction<OutgoingEvent, OutgoingEventsFunction>(OutgoingEventsFunction.Declaration);
        return services;
    }

    public static IEndpointRouteBuilder MapOutgoingCorrespondence(this IEndpointRouteBuilder app)
    {
        ProblemType[] step = [.. ProblemTypes.VisibleOutgoing, ProblemTypes.IfMatchRequired, ProblemTypes.OutgoingChanged, ProblemTypes.OutgoingStepNotAllowed, ProblemTypes.InvalidFields];
        app.MapFunction("DraftOutgoing", new HttpTrigger("POST", "agencies/{agency}/outgoing"), CreateAsync)
            .Accepts<OutgoingForm>("application/json")
            .ProducesProblems([.. ProblemTypes.JsonBody, ProblemTypes.InvalidFields, ProblemTypes.Forbidden])
            .WithSummary("Draft an outgoing document")
            .WithDescription("A specialist of the agency drafts a document: its type (name or abbreviation of Decree 30/2020), summary, recipients (agencies of this system, "
                + "or outside agencies by identifier with their name), reviewer, signer, urgency, due date, other recipient lines, the incoming document it answers, "
                + "and the issued document it replaces (recalled, naming this one, when this one is issued). "
                + "The PDF goes in next with PUT …/document.");
        app.MapFunction("ListOutgoing", new HttpTrigger("GET", "agencies/{agency}/outgoing"), ListAsync)
            .ProducesProblems(ProblemTypes.InvalidFields, ProblemTypes.Forbidden)
            .WithSummary("List an agency's outgoing documents")
            .WithDescription("list=awaiting-review (mine to review) | awaiting-signature (mine to sign) | awaiting-numbering (the records clerk's) | mine (drafted by me) | issued; "
                + "most urgent first, then newest; at most 200.");
        app.MapFunction("GetOutgoing", new HttpTrigger("GET", "outgoing/{id}"), GetAsync)
            .ProducesProblems([.. ProblemTypes.VisibleOutgoing])
            .WithSummary("Read an outgoing document")
            .WithDescription("What it is, where it stands, who signed it, its number, each recipient's status (QCVN 102 codes 01–06, 15/16 for a recall) and its history. ETag = version.");
        app.MapFunction("DownloadOutgoing", new HttpTrigger("GET", "outgoing/{id}/file"), DownloadAsync)
            .Produces(200, contentType: "application/pdf")
            .ProducesProblems([.. ProblemTypes.VisibleOutgoing, ProblemTypes.NoDocument])
            .WithSummary("Download an outgoing document's PDF")
            .WithDescription("The file at its latest stage: issued (signed by the person and sealed by the agency), else signed by the person, else the draft.");
        app.MapFunction("DownloadOutgoingAttachment", new HttpTrigger("GET", "outgoing/{id}/attachments/{number:int}"), DownloadAttachmentAsync)
            .Produces(200, contentType: "application/pdf")
            .ProducesProblems([.. ProblemTypes.VisibleOutgoing, ProblemTypes.DocumentNotFound])
            .WithSummary("Download an attachment")
            .WithDescription("Attachment number 1, 2, …: as issued (with the agency's copy stamp signature) once the document is issued, else as drafted.");
        app.MapFunction("PutOutgoingDocument", new HttpTrigger("PUT", "outgoing/{id}/document"), PutDocumentAsync)
            .WithMetadata(new FileBody("application/pdf"))
            .ProducesProblems([.. step, ProblemTypes.BadFileName, ProblemTypes.EmptyFile, ProblemTypes.FileTooLarge, ProblemTypes.OutgoingNotSignable])
            .WithSummary("Put the draft's PDF in")
            .WithDescription("The drafter sends the draft's PDF as the body (fileName in the query), while it is a draft or returned; each replacement is a new revision.");
        app.MapFunction("PutOutgoingAttachment", new HttpTrigger("PUT", "outgoing/{id}/attachments/{number:int}"), PutAttachmentAsync)
            .WithMetadata(new FileBody("application/pdf"))
            .ProducesProblems([.. step, ProblemTypes.BadFileName, ProblemTypes.EmptyFile, ProblemTypes.FileTooLarge, ProblemTypes.OutgoingNotSignable])
            .WithSummary("Put an attachment in")
            .WithDescription("The drafter sends attachment (phụ lục) number 1, 2, … (the next one, or one to replace; at most 10) as a PDF body, fileName in the query, "
                + "while the document is a draft or returned. Issuing signs each with the agency's key, shown as the copy stamp at the top right of its first page.");
        app.MapFunction("SubmitOutgoing", new HttpTrigger("POST", "outgoing/{id}/submission"), SubmitAsync)
            .Accepts<SubmissionForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.OptionalJsonBody])
            .WithSummary("Submit the draft")
            .WithDescription("The drafter submits the draft: to its reviewer (or the drafting department's head), else straight to the signer.");
        app.MapFunction("ReviewOutgoing", new HttpTrigger("POST", "outgoing/{id}/review"), ReviewAsync)
            .Accepts<ReviewForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.JsonBody])
            .WithSummary("Review the draft")
            .WithDescription("decision = pass (on to the signer) or return (back to the drafter, with a comment).");
        app.MapFunction("PrepareOutgoingSignature", new HttpTrigger("POST", "outgoing/{id}/signing"), PrepareAsync)
            .Accepts<SigningPreparationForm>("application/json")
            .ProducesProblems([.. ProblemTypes.VisibleOutgoing, .. ProblemTypes.JsonBody, ProblemTypes.InvalidFields, ProblemTypes.OutgoingStepNotAllowed,
                ProblemTypes.SignatureRefused, ProblemTypes.DeviceCertificateRequired, ProblemTypes.OutgoingNotSignable])
            .WithSummary("Prepare the signer's signature for the phone")
            .WithDescription("The signer's phone names its registered key; MotCua lays out the signature block (authority, position, signature image, name) and answers the digest "
                + "to sign (ES256 or RS256), valid for a few minutes.");
        app.MapFunction("DecideOutgoing", new HttpTrigger("POST", "outgoing/{id}/approval"), DecideAsync)
            .Accepts<OutgoingApprovalForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.JsonBody, ProblemTypes.SigningPreparationNotFound, ProblemTypes.SigningPreparationExpired, ProblemTypes.OutgoingDraftChanged,
                ProblemTypes.SignatureRefused, ProblemTypes.DeviceCertificateRequired])
            .WithSummary("Sign or return the document")
            .WithDescription("decision = sign, with the phone's signature over the prepared digest (the PAdES signature is completed), or with remote: the signer's "
                + "credential at the remote-signing service (CSC API: access token, credential, PIN or OTP), which signs in one go; or return, with a comment.");
        app.MapFunction("IssueOutgoing", new HttpTrigger("POST", "outgoing/{id}/issue"), IssueAsync)
            .Accepts<IssueForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.OptionalJsonBody, ProblemTypes.UnknownUnit])
            .WithSummary("Number and issue the signed document")
            .WithDescription("The records clerk assigns the next number of the document's series and the date; the agency's seal signature follows, then the document goes to "
                + "its recipients (those of this system at once, as incoming documents).");
        app.MapFunction("RecallOutgoing", new HttpTrigger("POST", "outgoing/{id}/recall"), RecallAsync)
            .Accepts<RecallForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.JsonBody])
            .WithSummary("Recall an issued document")
            .WithDescription("The records clerk recalls the document with a reason (QCVN 102 code 13); each recipient of this system cancels it and answers 15, or 16 when it never received it.");
        app.MapFunction("UpdateOutgoing", new HttpTrigger("POST", "outgoing/{id}/update"), UpdateAsync)
            .Accepts<UpdateForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.JsonBody])
            .WithSummary("Update an issued document's information")
            .WithDescription("The records clerk updates the summary, urgency or due date of an issued document with a reason (BusinessDocType 2); its signed file stays. "
                + "Each recipient of this system takes the new information and answers 15, or 16 when it never received the document or it was recalled.");
        return app;
    }

    private static Task<Ok<OutgoingView>> UpdateAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, OutgoingStore store,
        OutgoingAccess access, OutgoingNumbering numbering, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, async (d, version, user, ct) =>
            await numbering.UpdateAsync(d, version, await JsonBody.ReadRequiredAsync<UpdateForm>(request, JsonBody.SmallFormBytes, ct), user, ct), cancellationToken);

    private static async Task<Created<OutgoingView>> CreateAsync(string agency, HttpRequest request, HttpResponse response, ClaimsPrincipal principal,
        OutgoingDrafting drafting, OutgoingStore store, CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadRequiredAsync<OutgoingForm>(request, JsonBody.SmallFormBytes, cancellationToken);
        var d = await drafting.CreateAsync(agency, form, CurrentUser.From(principal), cancellationToken);
        response.Headers.ETag = IfMatch.ETagOf(d.Version);
        return TypedResults.Created($"/api/outgoing/{d.Id}", OutgoingViewMapping.View(d, [], await store.HistoryAsync(d, cancellationToken)));
    }

    private static async Task<Ok<OutgoingPage>> ListAsync(string agency, string? list, ClaimsPrincipal principal, OutgoingAccess access, MotCuaTables tables,
        CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        await access.RequireMemberAsync(user, agency, cancellationToken);
        Func<OutgoingDocumentEntity, bool> wanted = list switch
        {
            "awaiting-review" => d => d.State == OutgoingStatus.InReview && OutgoingAccess.IsReviewer(user, d),
            "awaiting-signature" => d => d.State == OutgoingStatus.AwaitingSignature && d.Signer == user.Id,
            "awaiting-numbering" => d => d.State == OutgoingStatus.Signed && user.HasRole(Roles.RecordsClerk),
            "mine" => d => d.DraftedBy == user.Id,
            "issued" => d => d.State is OutgoingStatus.Issued or OutgoingStatus.Recalled,
            _ => throw Problems.Problems.BadRequest("list", "list là awaiting-review, awaiting-signature, awaiting-numbering, mine hoặc issued.",
                "list is awaiting-review, awaiting-signature, awaiting-numbering, mine or issued."),
        };
        var items = new List<OutgoingDocumentEntity>();
        await foreach (var d in tables.Dossiers.QueryAsync<OutgoingDocumentEntity>(OutgoingRows.PrefixFilter(agency, OutgoingRows.DocumentPrefix), cancellationToken: cancellationToken))
        {
            if (wanted(d) && OutgoingAccess.MaySee(user, d)) items.Add(d);
        }
        return TypedResults.Ok(new OutgoingPage([.. items.OrderByDescending(d => d.Priority).ThenByDescending(d => d.DraftedAt).Take(200).Select(OutgoingViewMapping.Item)]));
    }

    private static async Task<Ok<OutgoingView>> GetAsync(string id, HttpResponse response, ClaimsPrincipal principal, OutgoingStore store, OutgoingAccess access,
        CancellationToken cancellationToken) =>
        await ViewAsync(await ReadAsync(id, CurrentUser.From(principal), store, access, cancellationToken), response, store, cancellationToken);

    private static async Task<IResult> DownloadAsync(string id, ClaimsPrincipal principal, OutgoingStore store, OutgoingAccess access, ResultFiles files,
        CancellationToken cancellationToken)
    {
        var d = await ReadAsync(id, CurrentUser.From(principal), store, access, cancellationToken);
        var blob = d.IssuedBlob ?? d.SignedBlob ?? d.DraftBlob ?? throw Problems.Problems.BadRequest("document", "Văn bản chưa có tệp.", "The document has no file yet.");
        var stream = await files.OpenReadAsync(blob, cancellationToken);
        return Results.Stream(stream, "application/pdf", d.Symbol is { } symbol ? symbol.Replace('/', '-') + ".pdf" : d.FileName);
    }

    private static async Task<IResult> DownloadAttachmentAsync(string id, int number, ClaimsPrincipal principal, OutgoingStore store, OutgoingAccess access,
        ResultFiles files, CancellationToken cancellationToken)
    {
        var d = await ReadAsync(id, CurrentUser.From(principal), store, access, cancellationToken);
        var attachments = OutgoingViewMapping.Attachments(d.IssuedAttachments ?? d.Attachments);
        if (number < 1 || number > attachments.Count) throw Problems.Problems.DocumentNotFound(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var attachment = attachments[number - 1];
        return Results.Stream(await files.OpenReadAsync(attachment.Blob, cancellationToken), "application/pdf", attachment.FileName);
    }

    private static Task<Ok<OutgoingView>> PutDocumentAsync(string id, string? fileName, HttpRequest request, HttpResponse response, ClaimsPrincipal principal,
        OutgoingStore store, OutgoingAccess access, OutgoingDrafting drafting, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access,
            (d, version, user, ct) => drafting.PutDocumentAsync(d, version, fileName, request.Body, request.ContentLength, user, ct), cancellationToken);

    private static Task<Ok<OutgoingView>> PutAttachmentAsync(string id, int number, string? fileName, HttpRequest request, HttpResponse response, ClaimsPrincipal principal,
        OutgoingStore store, OutgoingAccess access, OutgoingDrafting drafting, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access,
            (d, version, user, ct) => drafting.PutAttachmentAsync(d, version, number, fileName, request.Body, request.ContentLength, user, ct), cancellationToken);

    private static Task<Ok<OutgoingView>> SubmitAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, OutgoingStore store,
        OutgoingAccess access, OutgoingDrafting drafting, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, async (d, version, user, ct) =>
            await drafting.SubmitAsync(d, version, await JsonBody.ReadAsync<SubmissionForm>(request, JsonBody.SmallFormBytes, ct) ?? new SubmissionForm(), user, ct), cancellationToken);

    private static Task<Ok<OutgoingView>> ReviewAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, OutgoingStore store,
        OutgoingAccess access, OutgoingReview review, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, async (d, version, user, ct) =>
            await review.ReviewAsync(d, version, await JsonBody.ReadRequiredAsync<ReviewForm>(request, JsonBody.SmallFormBytes, ct), user, ct), cancellationToken);

    private static async Task<Ok<SigningPreparationView>> PrepareAsync(string id, HttpRequest request, ClaimsPrincipal principal, OutgoingStore store,
        OutgoingAccess access, OutgoingSigning signing, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        var d = await ReadAsync(id, user, store, access, cancellationToken);
        var form = await JsonBody.ReadRequiredAsync<SigningPreparationForm>(request, JsonBody.SmallFormBytes, cancellationToken);
        return TypedResults.Ok(await signing.PrepareAsync(d, form, user, cancellationToken));
    }

    private static Task<Ok<OutgoingView>> DecideAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, OutgoingStore store,
        OutgoingAccess access, OutgoingSigning signing, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, async (d, version, user, ct) =>
            await signing.DecideAsync(d, version, await JsonBody.ReadRequiredAsync<OutgoingApprovalForm>(request, JsonBody.SmallFormBytes, ct), user, ct), cancellationToken);

    private static Task<Ok<OutgoingView>> IssueAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, OutgoingStore store,
        OutgoingAccess access, OutgoingNumbering numbering, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, async (d, version, user, ct) =>
            await numbering.IssueAsync(d, version, await JsonBody.ReadAsync<IssueForm>(request, JsonBody.SmallFormBytes, ct) ?? new IssueForm(), user, ct), cancellationToken);

    private static Task<Ok<OutgoingView>> RecallAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, OutgoingStore store,
        OutgoingAccess access, OutgoingNumbering numbering, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, async (d, version, user, ct) =>
            await numbering.RecallAsync(d, version, await JsonBody.ReadRequiredAsync<RecallForm>(request, JsonBody.SmallFormBytes, ct), user, ct), cancellationToken);

    /// <summary>One step on one document: visible to the user, If-Match required and current; answers the document as it now is.</summary>
    private static async Task<Ok<OutgoingView>> StepAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, OutgoingStore store,
        OutgoingAccess access, Func<OutgoingDocumentEntity, int, CurrentUser, CancellationToken, Task<OutgoingDocumentEntity>> step, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        var d = await ReadAsync(id, user, store, access, cancellationToken);
        var version = IfMatch.Version(request) ?? throw IncomingProblems.IfMatchRequired();
        if (version != d.Version) throw OutgoingProblems.Changed(d.Version);
        try
        {
            return await ViewAsync(await step(d, version, user, cancellationToken), response, store, cancellationToken);
        }
        catch (OutgoingVersionConflictException e)
        {
            throw OutgoingProblems.Changed(e.Current);
        }
    }

    private static async Task<OutgoingDocumentEntity> ReadAsync(string id, CurrentUser user, OutgoingStore store, OutgoingAccess access, CancellationToken cancellationToken)
    {
        if (!OutgoingDocumentId.TryParse(id, out var parsed)) throw OutgoingProblems.BadId(id);
        if (!user.IsOfficial) throw Problems.Problems.Forbidden("Chỉ cán bộ xem văn bản đi.", "Only officials see outgoing documents.");
        var d = await store.FindAsync(parsed.Value, cancellationToken) ?? throw OutgoingProblems.NotFound(id);
        await access.RequireVisibleAsync(user, d, cancellationToken);
        return d;
    }

    private static async Task<Ok<OutgoingView>> ViewAsync(OutgoingDocumentEntity d, HttpResponse response, OutgoingStore store, CancellationToken cancellationToken)
    {
        response.Headers.ETag = IfMatch.ETagOf(d.Version);
        return TypedResults.Ok(OutgoingViewMapping.View(d, await store.RecipientsAsync(d, cancellationToken), await store.HistoryAsync(d, cancellationToken)));
    }
}
