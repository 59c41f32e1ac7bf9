using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Units;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Correspondence.Registers;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>What officials read out of the incoming documents: search, the period's figures, the printed registers, and pages as images.</summary>
public static class IncomingReportEndpoints
{
    public const int FirstYear = 2000, LastYear = 2099;

    public static IServiceCollection AddIncomingReports(this IServiceCollection services)
    {
        services.AddSingleton<IIncomingEventHandler, IncomingSearchIndexer>();
        services.AddSingleton<IncomingSearch>();
        services.AddSingleton<IncomingStatistics>();
        services.AddSingleton<IncomingRegisterRows>();
        services.AddSingleton<IncomingPageImages>();
        return services;
    }

    public static IEndpointRouteBuilder MapIncomingReports(this IEndpointRouteBuilder app)
    {
        app.MapFunction("SearchIncoming", new HttpTrigger("GET", "agencies/{agency}/incoming/search"), SearchAsync)
            .ProducesProblems(ProblemTypes.MalformedRequest, ProblemTypes.InvalidFields, ProblemTypes.Forbidden)
            .WithSummary("Search an agency's incoming documents")
            .WithDescription("Officials of the agency search its registered documents by words of their pages (text layer or OCR), number and notation, sender, type, "
                + "summary or receipt number (\"15/2026\"); diacritics and case are ignored. Newest first; pages of pageSize (at most 50) continue with cursor=next. "
                + "Secret documents are never indexed, so never found.");
        app.MapFunction("GetIncomingStatistics", new HttpTrigger("GET", "agencies/{agency}/incoming/statistics"), StatisticsAsync)
            .ProducesProblems(ProblemTypes.MalformedRequest, ProblemTypes.InvalidFields, ProblemTypes.Forbidden)
            .WithSummary("An agency's incoming documents for the period from ?from= to ?to=")
            .WithDescription("Vietnamese days, at most 366 of them. Received (" + IncomingStatisticsView.Identity + "), finished on time and late, open and overdue "
                + "at the period's end, by lead unit and by handler. For the agency's officials and administrators.");
        app.MapFunction("PrintIncomingRegister", new HttpTrigger("GET", "agencies/{agency}/incoming/registers/{year:int}/incoming.pdf"),
                (string agency, int year, ClaimsPrincipal principal, IncomingAccess access, ProcedureCatalog catalog, MotCuaTables tables, IncomingRegisterRows rows,
                    RegisterPdf pdf, CancellationToken ct) => PrintAsync(agency, year, RegisterLayouts.Incoming, principal, access, catalog, tables, rows, pdf, ct))
            .Produces(200, contentType: "application/pdf")
            .ProducesProblems(ProblemTypes.InvalidFields, ProblemTypes.Forbidden, ProblemTypes.RouteNotFound)
            .WithSummary("Print the incoming register (sổ đăng ký văn bản đến) of a year")
            .WithDescription("The year's registered documents in receipt-number order as an A4 landscape PDF: date received, receipt number, sender, number and notation, "
                + "date, type and summary, receiving unit or person, date handed over, acknowledgement, notes. For the agency's records clerks and leaders.");
        app.MapFunction("PrintIncomingFollowUpRegister", new HttpTrigger("GET", "agencies/{agency}/incoming/registers/{year:int}/follow-up.pdf"),
                (string agency, int year, ClaimsPrincipal principal, IncomingAccess access, ProcedureCatalog catalog, MotCuaTables tables, IncomingRegisterRows rows,
                    RegisterPdf pdf, CancellationToken ct) => PrintAsync(agency, year, RegisterLayouts.FollowUp, principal, access, catalog, tables, rows, pdf, ct))
            .Produces(200, contentType: "application/pdf")
            .ProducesProblems(ProblemTypes.InvalidFields, ProblemTypes.Forbidden, ProblemTypes.RouteNotFound)
            .WithSummary("Print the follow-up register (sổ theo dõi giải quyết văn bản đến) of a year")
            .WithDescription("The year's directed documents in receipt-number order as an A4 landscape PDF: lead, time limit, progress, reply, and notes "
                + "(late, overdue, secret). For the agency's records clerks and leaders.");
        app.MapFunction("GetIncomingPageImage", new HttpTrigger("GET", "incoming/{id}/files/{documentId}/pages/{page:int}/image"), PageImageAsync)
            .Produces(200, contentType: "image/png")
            .ProducesProblems([.. ProblemTypes.VisibleIncoming, ProblemTypes.DocumentNotFound, ProblemTypes.PageNotFound, ProblemTypes.PageImageUnavailable,
                ProblemTypes.RouteNotFound])
            .WithSummary("A page of an incoming document as an image")
            .WithDescription($"One page of one of the document's PDF files as a PNG at {IncomingPageImages.Dpi} dpi (an oversized page is scaled to at most "
                + $"{IncomingPageImages.MaxSide} pixels), for whoever may read the document.");
        return app;
    }

    private static async Task<Ok<IncomingSearchPage>> SearchAsync(string agency, string? q, string? cursor, int? pageSize, ClaimsPrincipal principal, IncomingSearch search,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await search.SearchAsync(agency, q, cursor, pageSize, CurrentUser.From(principal), cancellationToken));

    private static async Task<Ok<IncomingStatisticsView>> StatisticsAsync(string agency, DateOnly? from, DateOnly? to, ClaimsPrincipal principal, IncomingAccess access,
        IncomingStatistics statistics, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        if (!AgencyCodes.IsValid(agency)) throw BadRequest("agency", "Mã cơ quan không hợp lệ.", "The agency's code is not valid.");
        if (user.Role != Roles.Admin) await access.RequireMemberAsync(user, agency, cancellationToken);
        if (from is null || to is null || to < from || to.Value.DayNumber - from.Value.DayNumber > 366 || from.Value.Year < FirstYear || to.Value.Year > LastYear)
            throw BadRequest("from", "Cần ?from=YYYY-MM-DD&to=YYYY-MM-DD, không quá 366 ngày.", "Give ?from=YYYY-MM-DD&to=YYYY-MM-DD, at most 366 days apart.");
        return TypedResults.Ok(await statistics.ComputeAsync(agency, from.Value, to.Value, cancellationToken));
    }

    /// <summary>
    /// The registers hold secret documents' metadata, so only the agency's records clerks and leaders
    /// print them; an administrator, who belongs to no agency, does not.
    /// </summary>
    private static async Task<PushStreamHttpResult> PrintAsync(string agency, int year, RegisterLayout layout, ClaimsPrincipal principal, IncomingAccess access,
        ProcedureCatalog catalog, MotCuaTables tables, IncomingRegisterRows rows, RegisterPdf pdf, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        if (!AgencyCodes.IsValid(agency)) throw BadRequest("agency", "Mã cơ quan không hợp lệ.", "The agency's code is not valid.");
        await access.RequireMemberAsync(user, agency, cancellationToken);
        if (!IncomingAccess.IsRecordsClerkOrLeader(user))
            throw Forbidden("Chỉ văn thư và lãnh đạo cơ quan in sổ văn bản đến.", "Only the agency's records clerks and leaders print its incoming registers.");
        if (year is < FirstYear or > LastYear) throw BadRequest("year", $"Năm từ {FirstYear} đến {LastYear}.", $"A year from {FirstYear} to {LastYear}.");
        var directory = await AgencyDirectory.LoadAsync(agency, catalog, tables, cancellationToken);
        var lines = layout == RegisterLayouts.Incoming ? rows.IncomingAsync(directory, year, cancellationToken) : rows.FollowUpAsync(directory, year, cancellationToken);
        var period = "Năm " + year.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Stream(output => pdf.WriteAsync(output, layout, directory.AgencyName, period, lines, cancellationToken), "application/pdf",
            $"{layout.Key}-{agency}-{year.ToString(CultureInfo.InvariantCulture)}.pdf");
    }

    private static async Task<FileStreamHttpResult> PageImageAsync(string id, string documentId, int page, ClaimsPrincipal principal, IncomingStore store,
        IncomingAccess access, MotCuaTables tables, IncomingPageImages images, CancellationToken cancellationToken)
    {
        var d = await IncomingEndpoints.ReadAsync(id, CurrentUser.From(principal), store, access, cancellationToken);
        var file = d.FilesOwner is null || documentId.Length > 64 ? null
            : await tables.Documents.GetEntityIfExistsAsync<DocumentEntity>(d.FilesOwner, documentId, cancellationToken: cancellationToken);
        if (file is not { HasValue: true }) throw DocumentNotFound(documentId);
        return TypedResults.Stream(await images.RenderAsync(file.Value!, page, cancellationToken), "image/png");
    }
}
