using System.Security.Claims;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>The multipart form, for the API description: the JSON 'incoming' part first, then the files (none for a secret document).</summary>
public sealed record IncomingSubmissionForm(IncomingForm Incoming, IFormFileCollection Document);

public static class IncomingEndpoints
{
    public static IServiceCollection AddIncomingCorrespondence(this IServiceCollection services)
    {
        services.AddSingleton<IncomingStore>();
        services.AddSingleton<IncomingAccess>();
        services.AddSingleton<IncomingReceipt>();
        services.AddSingleton<IncomingRegistration>();
        services.AddSingleton<IncomingDirection>();
        services.AddSingleton<IncomingHandling>();
        services.AddSingleton<IncomingQueries>();
        services.AddSingleton<IncomingFileOutcomes>();
        services.AddQueueFunction<IncomingEvent, IncomingEventsFunction>(IncomingEventsFunction.Declaration);
        return services;
    }

    public static IEndpointRouteBuilder MapIncomingCorrespondence(this IEndpointRouteBuilder app)
    {
        ProblemType[] step = [.. ProblemTypes.VisibleIncoming, ProblemTypes.IfMatchRequired, ProblemTypes.IncomingChanged, ProblemTypes.IncomingStepNotAllowed, ProblemTypes.InvalidFields];
        app.MapFunction("ReceiveElectronicIncoming", new HttpTrigger("POST", "agencies/{agency}/incoming/electronic"), (string agency, HttpRequest request, ClaimsPrincipal principal,
                IncomingReceipt receipt, CancellationToken ct) => ReceiveAsync(agency, request, principal, receipt, electronic: true, ct))
            .Accepts<IncomingSubmissionForm>("multipart/form-data")
            .ProducesProblems([.. ProblemTypes.DocumentParts, ProblemTypes.MalformedRequest, ProblemTypes.MalformedJson, ProblemTypes.UnknownMember, ProblemTypes.InvalidMemberValue,
                ProblemTypes.InvalidFields, ProblemTypes.Forbidden, ProblemTypes.UnknownUnit, ProblemTypes.IncomingAlreadyReceived, ProblemTypes.SecretContentRefused])
            .WithSummary("Receive an electronic incoming document")
            .WithDescription("Another agency's document arrives: a JSON 'incoming' part (sender, number, notation, date, type, summary, priority), then its signed PDF 'document' parts. "
                + "The same document (sender, date, number and notation) is received once. Its signatures and text are then checked; it waits for the records clerk (status 01).")
            .DisableAntiforgery();
        app.MapFunction("ReceivePaperIncoming", new HttpTrigger("POST", "agencies/{agency}/incoming/paper"), (string agency, HttpRequest request, ClaimsPrincipal principal,
                IncomingReceipt receipt, CancellationToken ct) => ReceiveAsync(agency, request, principal, receipt, electronic: false, ct))
            .Accepts<IncomingSubmissionForm>("multipart/form-data")
            .ProducesProblems([.. ProblemTypes.DocumentParts, ProblemTypes.MalformedRequest, ProblemTypes.MalformedJson, ProblemTypes.UnknownMember, ProblemTypes.InvalidMemberValue,
                ProblemTypes.InvalidFields, ProblemTypes.Forbidden, ProblemTypes.UnknownUnit, ProblemTypes.SecretContentRefused])
            .WithSummary("Take in a paper incoming document")
            .WithDescription("The records clerk uploads the scan of a paper document: a JSON 'incoming' part (all fields optional; secret: true for a secret document, which carries no files), "
                + "then the scan's 'document' parts. The first page's text suggests the number, notation, date, sender, type and summary, shown in 'suggestion'.")
            .DisableAntiforgery();
        app.MapFunction("ListIncoming", new HttpTrigger("GET", "agencies/{agency}/incoming"), ListAsync)
            .ProducesProblems(ProblemTypes.MalformedRequest, ProblemTypes.InvalidFields, ProblemTypes.Forbidden)
            .WithSummary("List an agency's incoming documents")
            .WithDescription("list=awaiting-registration | awaiting-direction | mine | open; most urgent first, then oldest. Pages of pageSize (at most 100) continue with cursor=next.");
        app.MapFunction("GetIncoming", new HttpTrigger("GET", "incoming/{id}"), GetAsync)
            .ProducesProblems([.. ProblemTypes.VisibleIncoming])
            .WithSummary("Read an incoming document")
            .WithDescription("The document with its status (QCVN 102 code), register number, files with their signature verdicts, direction, handling and latest history; the ETag is its version. "
                + "Pages are fetched one at a time.");
        app.MapFunction("GetIncomingPage", new HttpTrigger("GET", "incoming/{id}/files/{documentId}/pages/{page:int}"), GetPageAsync)
            .ProducesProblems([.. ProblemTypes.VisibleIncoming, ProblemTypes.DocumentNotFound, ProblemTypes.PageNotFound, ProblemTypes.RouteNotFound])
            .WithSummary("Read the text of a page of an incoming document")
            .WithDescription("The text of one page of one of the document's files, from its text layer or OCR.");
        app.MapFunction("RegisterIncoming", new HttpTrigger("POST", "incoming/{id}/registration"), RegisterAsync)
            .Accepts<RegistrationForm>(isOptional: true, "application/json")
            .ProducesProblems([.. step, .. ProblemTypes.OptionalJsonBody, ProblemTypes.IncomingSignaturesNotChecked, ProblemTypes.IncomingSignatureInvalid])
            .WithSummary("Register an incoming document")
            .WithDescription("The records clerk confirms the fields (any given replace the suggested or received ones) and registers the document with the next receipt number (số đến) "
                + "of the agency's register for the year. With If-Match: the document's ETag.");
        app.MapFunction("ReturnIncoming", new HttpTrigger("POST", "incoming/{id}/return"), ReturnAsync)
            .Accepts<ReturnForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.JsonBody])
            .WithSummary("Return an incoming document to its sender")
            .WithDescription("An invalid document, or one not for this agency, goes back to the sender with a reason (status 02). With If-Match.");
        app.MapFunction("DirectIncoming", new HttpTrigger("POST", "incoming/{id}/direction"), DirectOneAsync)
            .Accepts<DirectionForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.JsonBody, ProblemTypes.SignatureRequired, ProblemTypes.SignatureRefused, ProblemTypes.UnknownHandler])
            .WithSummary("Direct the handling of an incoming document")
            .WithDescription("A leader (or a deputy on behalf of an absent leader) names the lead department or official, co-handlers, those informed, the time limit and a comment, "
                + "signed by the phone's registered key over the direction statement. With If-Match.");
        app.MapFunction("DirectIncomingDocuments", new HttpTrigger("POST", "incoming/directions"), DirectManyAsync)
            .Accepts<DirectionForm>("application/json")
            .ProducesProblems([.. ProblemTypes.JsonBody, ProblemTypes.BadIncomingId, ProblemTypes.Forbidden, ProblemTypes.IncomingNotFound, ProblemTypes.IncomingChanged,
                ProblemTypes.IncomingStepNotAllowed, ProblemTypes.InvalidFields, ProblemTypes.SignatureRequired, ProblemTypes.SignatureRefused, ProblemTypes.UnknownHandler])
            .WithSummary("Direct several incoming documents at once")
            .WithDescription("One direction, one signature, for up to 50 documents named with their versions; every document is checked before any is directed.");
        app.MapFunction("AssignIncoming", new HttpTrigger("POST", "incoming/{id}/assignment"), AssignAsync)
            .Accepts<AssignmentForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.JsonBody, ProblemTypes.UnknownHandler])
            .WithSummary("Pass an incoming document on to an official")
            .WithDescription("The head of the lead department gives the document to one of its officials, with a time limit no later than the direction's. With If-Match.");
        app.MapFunction("RecordIncomingProgress", new HttpTrigger("POST", "incoming/{id}/progress"), ProgressAsync)
            .Accepts<ProgressForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.JsonBody])
            .WithSummary("Record progress on an incoming document")
            .WithDescription("The lead handler notes progress (status 05). With If-Match.");
        app.MapFunction("FinishIncoming", new HttpTrigger("POST", "incoming/{id}/finish"), FinishAsync)
            .Accepts<FinishForm>("application/json")
            .ProducesProblems([.. step, .. ProblemTypes.JsonBody])
            .WithSummary("Finish handling an incoming document")
            .WithDescription("The lead handler finishes with a result and, when there is one, the reply document (status 06). With If-Match.");
        return app;
    }

    private static async Task<Created<ArrivedDocument>> ReceiveAsync(string agency, HttpRequest request, ClaimsPrincipal principal, IncomingReceipt receipt, bool electronic,
        CancellationToken cancellationToken)
    {
        var arrived = await receipt.ReceiveAsync(request, agency, CurrentUser.From(principal), electronic, cancellationToken);
        return TypedResults.Created($"{FunctionEndpoints.RoutePrefix}incoming/{arrived.Id}", arrived);
    }

    private static async Task<Ok<IncomingPage>> ListAsync(string agency, string? list, string? cursor, int? pageSize, ClaimsPrincipal principal, IncomingQueries queries,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.ListAsync(agency, list ?? "open", CurrentUser.From(principal), cursor, pageSize, cancellationToken));

    private static async Task<Ok<IncomingView>> GetAsync(string id, ClaimsPrincipal principal, HttpResponse response, IncomingStore store, IncomingAccess access,
        MotCuaTables tables, CancellationToken cancellationToken)
    {
        var d = await ReadAsync(id, CurrentUser.From(principal), store, access, cancellationToken);
        return await ViewAsync(d, response, store, tables, cancellationToken);
    }

    private static async Task<Ok<PageView>> GetPageAsync(string id, string documentId, int page, ClaimsPrincipal principal, IncomingStore store, IncomingAccess access,
        MotCuaTables tables, CancellationToken cancellationToken)
    {
        var d = await ReadAsync(id, CurrentUser.From(principal), store, access, cancellationToken);
        var file = d.FilesOwner is null || documentId.Length > 64 ? null
            : await tables.Documents.GetEntityIfExistsAsync<DocumentEntity>(d.FilesOwner, documentId, cancellationToken: cancellationToken);
        if (file is not { HasValue: true }) throw Problems.Problems.DocumentNotFound(documentId);
        var row = await tables.Pages.GetEntityIfExistsAsync<PageEntity>(documentId, PageEntity.Key(page), cancellationToken: cancellationToken);
        if (!row.HasValue) throw new ProblemException(404, "page-not-found", "Không có trang này", "No such page",
            $"Tệp không có trang {page} (hoặc chưa được đọc).", $"The file has no page {page} (or it is not read yet).");
        var p = row.Value!;
        return TypedResults.Ok(new PageView(documentId, p.Number, p.Source, p.Confidence, p.Error, p.Text));
    }

    private static Task<Ok<IncomingView>> RegisterAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, IncomingStore store,
        IncomingAccess access, IncomingRegistration registration, MotCuaTables tables, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, tables, async (d, version, user, ct) =>
            await registration.RegisterAsync(d, version, await JsonBody.ReadAsync<RegistrationForm>(request, JsonBody.SmallFormBytes, ct) ?? new RegistrationForm(), user, ct),
            cancellationToken);

    private static Task<Ok<IncomingView>> ReturnAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, IncomingStore store,
        IncomingAccess access, IncomingRegistration registration, MotCuaTables tables, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, tables, async (d, version, user, ct) =>
            await registration.ReturnAsync(d, version, await JsonBody.ReadRequiredAsync<ReturnForm>(request, JsonBody.SmallFormBytes, ct), user, ct), cancellationToken);

    private static Task<Ok<IncomingView>> DirectOneAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, IncomingStore store,
        IncomingAccess access, IncomingDirection direction, MotCuaTables tables, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, tables, async (d, version, user, ct) =>
        {
            var form = await JsonBody.ReadRequiredAsync<DirectionForm>(request, JsonBody.SmallFormBytes, ct);
            if (form.Documents is not null) throw Problems.Problems.BadRequest("documents", "Chỉ đạo nhiều văn bản qua /api/incoming/directions.", "Direct several documents through /api/incoming/directions.");
            await direction.DirectAsync([new DirectedDocument(d.Id, version)], form, user, ct);
            return null;
        }, cancellationToken);

    private static async Task<Ok<DirectionResult>> DirectManyAsync(HttpRequest request, ClaimsPrincipal principal, IncomingDirection direction, CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadRequiredAsync<DirectionForm>(request, JsonBody.SmallFormBytes, cancellationToken);
        try
        {
            return TypedResults.Ok(await direction.DirectAsync(form.Documents ?? [], form, CurrentUser.From(principal), cancellationToken));
        }
        catch (IncomingVersionConflictException e)
        {
            throw IncomingProblems.Changed(e.Current);
        }
    }

    private static Task<Ok<IncomingView>> AssignAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, IncomingStore store,
        IncomingAccess access, IncomingHandling handling, MotCuaTables tables, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, tables, async (d, version, user, ct) =>
            await handling.AssignAsync(d, version, await JsonBody.ReadRequiredAsync<AssignmentForm>(request, JsonBody.SmallFormBytes, ct), user, ct), cancellationToken);

    private static Task<Ok<IncomingView>> ProgressAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, IncomingStore store,
        IncomingAccess access, IncomingHandling handling, MotCuaTables tables, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, tables, async (d, version, user, ct) =>
            await handling.ProgressAsync(d, version, await JsonBody.ReadRequiredAsync<ProgressForm>(request, JsonBody.SmallFormBytes, ct), user, ct), cancellationToken);

    private static Task<Ok<IncomingView>> FinishAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, IncomingStore store,
        IncomingAccess access, IncomingHandling handling, MotCuaTables tables, CancellationToken cancellationToken) =>
        StepAsync(id, request, response, principal, store, access, tables, async (d, version, user, ct) =>
            await handling.FinishAsync(d, version, await JsonBody.ReadRequiredAsync<FinishForm>(request, JsonBody.SmallFormBytes, ct), user, ct), cancellationToken);

    /// <summary>One step on one document: visible to the user, If-Match required, a stale version explained; answers the document as it now is.</summary>
    private static async Task<Ok<IncomingView>> StepAsync(string id, HttpRequest request, HttpResponse response, ClaimsPrincipal principal, IncomingStore store,
        IncomingAccess access, MotCuaTables tables, Func<IncomingDocumentEntity, int, CurrentUser, CancellationToken, Task<IncomingApplied?>> step, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        var d = await ReadAsync(id, user, store, access, cancellationToken);
        var version = IfMatch.Version(request) ?? throw IncomingProblems.IfMatchRequired();
        if (version != d.Version) throw IncomingProblems.Changed(d.Version);
        if (d.RecalledAt is not null) throw IncomingProblems.Recalled(d);
        try
        {
            var applied = await step(d, version, user, cancellationToken);
            var current = applied?.Document ?? await store.FindAsync(ParseId(id), cancellationToken) ?? throw IncomingProblems.NotFound(id);
            return await ViewAsync(current, response, store, tables, cancellationToken);
        }
        catch (IncomingVersionConflictException e)
        {
            throw IncomingProblems.Changed(e.Current);
        }
    }

    private static IncomingDocumentId ParseId(string id) => IncomingDocumentId.TryParse(id, out var parsed) ? parsed.Value : throw IncomingProblems.BadId(id);

    internal static async Task<IncomingDocumentEntity> ReadAsync(string id, CurrentUser user, IncomingStore store, IncomingAccess access, CancellationToken cancellationToken)
    {
        var parsed = ParseId(id);
        if (!user.IsOfficial) throw Problems.Problems.Forbidden("Chỉ cán bộ xem văn bản đến.", "Only officials see incoming documents.");
        var d = await store.FindAsync(parsed, cancellationToken) ?? throw IncomingProblems.NotFound(id);
        await access.RequireVisibleAsync(user, d, cancellationToken);
        return d;
    }

    private static async Task<Ok<IncomingView>> ViewAsync(IncomingDocumentEntity d, HttpResponse response, IncomingStore store, MotCuaTables tables, CancellationToken cancellationToken)
    {
        var files = new List<IncomingFileView>();
        if (d.FilesOwner is { } owner)
        {
            await foreach (var f in tables.Documents.QueryAsync<DocumentEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {owner}"), cancellationToken: cancellationToken))
                files.Add(new IncomingFileView(f.RowKey, f.FileName, f.Length, f.Stage, f.SignatureVerdict, f.PageCount));
        }
        response.Headers.ETag = IfMatch.ETagOf(d.Version);
        return TypedResults.Ok(IncomingViewMapping.View(d, files, await store.HistoryAsync(d, cancellationToken)));
    }
}
