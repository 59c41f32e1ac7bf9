using System.Security.Claims;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Search;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Documents;

public sealed record PageSummary(int Number, string Source, double? Confidence, string? Error, int Characters);

public sealed record DocumentDetail(DocumentView Document, IReadOnlyList<PageSummary> Pages);

public sealed record PageView(string DocumentId, int Number, string Source, double? Confidence, string? Error, string Text);

public static class DocumentEndpoints
{
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DocumentUploader>();
        services.AddSingleton<DocumentAdditions>();
        services.AddSingleton<DocumentListing>();
        services.AddSingleton<Outbox.IStrandedWork, UnlistedDocuments>();
        services.AddSingleton(sp => new BlobCreatedEvents(sp.GetRequiredService<Azure.Storage.Blobs.BlobContainerClient>(),
            HostingOptions.Resolve(sp.GetRequiredService<IConfiguration>()), sp.GetRequiredService<TimeProvider>()));
        services.AddBlobCreatedFunction<DocumentBlobCreatedFunction>(DocumentBlobCreatedFunction.Declaration);
        return services;
    }

    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder app)
    {
        app.MapFunction("AddDocuments", new HttpTrigger("POST", "dossiers/{code}/documents"), AddAsync)
            .Accepts<AddDocumentsForm>("multipart/form-data")
            .ProducesProblems([.. ProblemTypes.DocumentParts, .. ProblemTypes.VisibleDossier, ProblemTypes.DossierClosed, ProblemTypes.UnknownProcedure])
            .WithSummary("Add documents to a dossier")
            .WithDescription("Add documents to a dossier: 'document' or 'document:{component}' file parts (PDF, PNG, JPEG, TIFF, .p7s, Word, Excel, PowerPoint, OpenDocument, ZIP; "
                + "the kinds accepted are configured, others get 415). "
                + "A file already in the dossier (same SHA-256) gives back the first document, marked duplicate.")
            .DisableAntiforgery();
        app.MapFunction("RequestUpload", new HttpTrigger("POST", "dossiers/{code}/uploads"), RequestUploadAsync)
            .Accepts<UploadRequest>(isOptional: true, "application/json")
            .ProducesProblems([.. ProblemTypes.OptionalJsonBody, .. ProblemTypes.VisibleDossier, ProblemTypes.InvalidFields, ProblemTypes.DossierClosed, ProblemTypes.FileTooLarge, ProblemTypes.TooManyDocuments, ProblemTypes.UnknownComponent, ProblemTypes.UnknownProcedure])
            .WithSummary("Ask for a direct upload address")
            .WithDescription("Ask for a short-lived, write-only address to upload one file straight to storage (PUT with x-ms-blob-type: BlockBlob), "
                + "announcing its name, length and SHA-256; then confirm it.");
        app.MapFunction("ConfirmUpload", new HttpTrigger("POST", "dossiers/{code}/uploads/{documentId}/confirm"), ConfirmAsync)
            .ProducesProblems([.. ProblemTypes.VisibleDossier, ProblemTypes.DocumentNotFound, ProblemTypes.DossierClosed, ProblemTypes.UploadNotFinished, ProblemTypes.UploadExpired, ProblemTypes.UnsupportedDocumentType, ProblemTypes.UploadMismatch, ProblemTypes.UnknownProcedure])
            .WithSummary("Confirm a direct upload")
            .WithDescription("Confirm a direct upload: its length and SHA-256 are checked against the announcement before the document joins the dossier.");
        app.MapFunction("GetDocument", new HttpTrigger("GET", "dossiers/{code}/documents/{documentId}"), GetAsync)
            .ProducesProblems([.. ProblemTypes.VisibleDossier, ProblemTypes.DocumentNotFound])
            .WithSummary("Read a document's processing state")
            .WithDescription("A document's processing state, signature verdicts and pages.");
        app.MapFunction("GetDocumentPage", new HttpTrigger("GET", "dossiers/{code}/documents/{documentId}/pages/{page:int}"), GetPageAsync)
            .ProducesProblems([.. ProblemTypes.VisibleDossier, ProblemTypes.DocumentNotFound, ProblemTypes.PageNotFound, ProblemTypes.RouteNotFound])
            .WithSummary("Read the text of a document's page")
            .WithDescription("The text of one page of a document, from its text layer or OCR, with OCR confidence.");
        app.MapFunction("SearchDossiers", new HttpTrigger("GET", "search"), SearchAsync)
            .ProducesProblems(ProblemTypes.MalformedRequest, ProblemTypes.InvalidFields, ProblemTypes.Forbidden)
            .WithSummary("Search the unit's dossiers")
            .WithDescription("Officials search their unit's dossiers by words of documents, applicant name, ID number or code; diacritics and case are ignored.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AddedDocument>>> AddAsync(string code, HttpRequest request, ClaimsPrincipal principal,
        DocumentAdditions additions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await additions.AddAsync(code, request, CurrentUser.From(principal), cancellationToken));

    private static async Task<Results<Created<UploadTicket>, Ok<UploadTicket>>> RequestUploadAsync(string code, HttpRequest request, ClaimsPrincipal principal,
        DocumentAdditions additions, CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadAsync<UploadRequest>(request, JsonBody.SmallFormBytes, cancellationToken);
        var (ticket, created) = await additions.RequestUploadAsync(code, form ?? new UploadRequest(null, null, null, null), CurrentUser.From(principal), cancellationToken);
        return created
            ? TypedResults.Created($"{FunctionEndpoints.RoutePrefix}dossiers/{code}/documents/{ticket.DocumentId}", ticket)
            : TypedResults.Ok(ticket);
    }

    private static async Task<Ok<AddedDocument>> ConfirmAsync(string code, string documentId, ClaimsPrincipal principal, DocumentAdditions additions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await additions.ConfirmAsync(code, documentId, CurrentUser.From(principal), cancellationToken));

    private static async Task<Ok<DocumentDetail>> GetAsync(string code, string documentId, ClaimsPrincipal principal, MotCuaTables tables, CancellationToken cancellationToken)
    {
        var (dossier, document) = await ReadDocumentAsync(code, documentId, CurrentUser.From(principal), tables, cancellationToken);
        var pages = new List<PageSummary>();
        await foreach (var p in tables.Pages.QueryAsync<PageEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {documentId}"), cancellationToken: cancellationToken))
        {
            pages.Add(new PageSummary(p.Number, p.Source, p.Confidence, p.Error, p.Text.Length));
        }
        return TypedResults.Ok(new DocumentDetail(DocumentView.Of(document, dossier), pages));
    }

    private static async Task<Ok<PageView>> GetPageAsync(string code, string documentId, int page, ClaimsPrincipal principal, MotCuaTables tables, CancellationToken cancellationToken)
    {
        await ReadDocumentAsync(code, documentId, CurrentUser.From(principal), tables, cancellationToken);
        var row = await tables.Pages.GetEntityIfExistsAsync<PageEntity>(documentId, PageEntity.Key(page), cancellationToken: cancellationToken);
        if (!row.HasValue) throw new Problems.ProblemException(404, "page-not-found", "Không có trang này", "No such page",
            $"Tài liệu không có trang {page} (hoặc chưa được đọc).", $"The document has no page {page} (or it is not read yet).");
        var p = row.Value!;
        return TypedResults.Ok(new PageView(documentId, p.Number, p.Source, p.Confidence, p.Error, p.Text));
    }

    private static async Task<Ok<IReadOnlyList<SearchResult>>> SearchAsync([FromQuery] string? q, [FromQuery] int? limit, ClaimsPrincipal principal,
        DossierSearch search, CancellationToken cancellationToken) =>
        TypedResults.Ok(await search.SearchAsync(q, limit, CurrentUser.From(principal), cancellationToken));

    /// <summary>The document, once the caller may see its dossier; another dossier's document id is "not found".</summary>
    private static async Task<(DossierEntity Dossier, DocumentEntity Document)> ReadDocumentAsync(string code, string documentId, CurrentUser user, MotCuaTables tables, CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        var dossier = await tables.Dossiers.GetEntityIfExistsAsync<DossierEntity>(code, DossierRows.Dossier, cancellationToken: cancellationToken);
        if (!dossier.HasValue) throw DossierNotFound(code);
        DossierReader.EnsureMaySee(user, dossier.Value!);
        if (!DocumentAdditions.IsDocumentId(documentId)) throw DocumentNotFound(documentId);
        var row = await tables.Documents.GetEntityIfExistsAsync<DocumentEntity>(dossier.Value!.DossierId, documentId, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.Stage == DocumentStages.AwaitingUpload) throw DocumentNotFound(documentId);
        return (dossier.Value!, row.Value!);
    }
}

/// <summary>The multipart form, for the API description: one or more files.</summary>
public sealed record AddDocumentsForm(IFormFileCollection Document);
