using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Units;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Registers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>What officials read out of the outgoing documents: search, the period's figures, and the register of each numbering series.</summary>
public static class OutgoingReportEndpoints
{
    public static IServiceCollection AddOutgoingReports(this IServiceCollection services)
    {
        services.AddSingleton<IOutgoingEventHandler, OutgoingSearchIndexer>();
        services.AddSingleton<OutgoingSearch>();
        services.AddSingleton<OutgoingStatistics>();
        return services.AddSingleton<OutgoingRegisterRows>();
    }

    public static IEndpointRouteBuilder MapOutgoingReports(this IEndpointRouteBuilder app)
    {
        app.MapFunction("SearchOutgoing", new HttpTrigger("GET", "agencies/{agency}/outgoing/search"), SearchAsync)
            .ProducesProblems(ProblemTypes.MalformedRequest, ProblemTypes.InvalidFields, ProblemTypes.Forbidden)
            .WithSummary("Search an agency's outgoing documents")
            .WithDescription("Officials of the agency search its issued documents by number and notation (\"01/UBND-VHXH\"), type, summary, recipients' names "
                + "and words of the issued file's pages; diacritics and case are ignored. Newest first; pages of pageSize (at most 50) continue with cursor=next. "
                + "Secret documents are never indexed, so never found.");
        app.MapFunction("GetOutgoingStatistics", new HttpTrigger("GET", "agencies/{agency}/outgoing/statistics"), StatisticsAsync)
            .ProducesProblems(ProblemTypes.MalformedRequest, ProblemTypes.InvalidFields, ProblemTypes.Forbidden)
            .WithSummary("An agency's outgoing documents issued in the period from ?from= to ?to=")
            .WithDescription("Vietnamese days, at most 366 of them. Issued, by type, the share sent fully electronically and the share signed digitally ("
                + OutgoingStatisticsView.Identity + "), and replies to those with a due date (" + OutgoingStatisticsView.ReplyIdentity + "). "
                + "For the agency's officials and administrators.");
        app.MapFunction("PrintOutgoingRegister", new HttpTrigger("GET", "agencies/{agency}/outgoing/registers/{year:int}/outgoing.pdf"), PrintAsync)
            .Produces(200, contentType: "application/pdf")
            .ProducesProblems(ProblemTypes.InvalidFields, ProblemTypes.Forbidden, ProblemTypes.RouteNotFound)
            .WithSummary("Print the outgoing register (sổ đăng ký văn bản đi) of a year")
            .WithDescription("The year's numbered documents of one series (?series=general, the default; secret; or qppl-QĐ and the like for a legal normative type) "
                + "in number order as an A4 landscape PDF: number and notation, date, type and summary, signer, recipients, unit keeping the file copy, number of copies, "
                + "date sent, each recipient's status, notes (secret, urgent, recalled and why). For the agency's records clerks and leaders.");
        return app;
    }

    private static async Task<Ok<OutgoingSearchPage>> SearchAsync(string agency, string? q, string? cursor, int? pageSize, ClaimsPrincipal principal, OutgoingSearch search,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await search.SearchAsync(agency, q, cursor, pageSize, CurrentUser.From(principal), cancellationToken));

    private static async Task<Ok<OutgoingStatisticsView>> StatisticsAsync(string agency, DateOnly? from, DateOnly? to, ClaimsPrincipal principal, OutgoingAccess access,
        OutgoingStatistics statistics, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        if (!AgencyCodes.IsValid(agency)) throw BadRequest("agency", "Mã cơ quan không hợp lệ.", "The agency's code is not valid.");
        if (user.Role != Roles.Admin) await access.RequireMemberAsync(user, agency, cancellationToken);
        if (from is null || to is null || to < from || to.Value.DayNumber - from.Value.DayNumber > 366
            || from.Value.Year < IncomingReportEndpoints.FirstYear || to.Value.Year > IncomingReportEndpoints.LastYear)
            throw BadRequest("from", "Cần ?from=YYYY-MM-DD&to=YYYY-MM-DD, không quá 366 ngày.", "Give ?from=YYYY-MM-DD&to=YYYY-MM-DD, at most 366 days apart.");
        return TypedResults.Ok(await statistics.ComputeAsync(agency, from.Value, to.Value, cancellationToken));
    }

    /// <summary>
    /// The registers hold secret documents' metadata, so only the agency's records clerks and leaders
    /// print them; an administrator, who belongs to no agency, does not.
    /// </summary>
    private static async Task<PushStreamHttpResult> PrintAsync(string agency, int year, string? series, ClaimsPrincipal principal, OutgoingAccess access,
        ProcedureCatalog catalog, MotCuaTables tables, OutgoingRegisterRows rows, RegisterPdf pdf, CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(principal);
        if (!AgencyCodes.IsValid(agency)) throw BadRequest("agency", "Mã cơ quan không hợp lệ.", "The agency's code is not valid.");
        await access.RequireMemberAsync(user, agency, cancellationToken);
        if (!IncomingAccess.IsRecordsClerkOrLeader(user))
            throw Forbidden("Chỉ văn thư và lãnh đạo cơ quan in sổ văn bản đi.", "Only the agency's records clerks and leaders print its outgoing registers.");
        if (year is < IncomingReportEndpoints.FirstYear or > IncomingReportEndpoints.LastYear)
            throw BadRequest("year", $"Năm từ {IncomingReportEndpoints.FirstYear} đến {IncomingReportEndpoints.LastYear}.",
                $"A year from {IncomingReportEndpoints.FirstYear} to {IncomingReportEndpoints.LastYear}.");
        series ??= DocumentNumbering.GeneralSeries;
        if (!OutgoingRegisterRows.IsSeries(series))
            throw BadRequest("series", "Sổ là general (văn bản thường), secret (văn bản mật) hoặc qppl- và chữ viết tắt của loại văn bản quy phạm pháp luật (qppl-QĐ).",
                "The series is general, secret, or qppl- and a legal normative type's abbreviation (qppl-QĐ).");
        var directory = await AgencyDirectory.LoadAsync(agency, catalog, tables, cancellationToken);
        var lines = rows.OutgoingAsync(directory, year, series, cancellationToken);
        return TypedResults.Stream(output => pdf.WriteAsync(output, RegisterLayouts.Outgoing, directory.AgencyName, OutgoingRegisterRows.Period(year, series), lines,
            cancellationToken), "application/pdf", $"{RegisterLayouts.Outgoing.Key}-{series}-{agency}-{year.ToString(CultureInfo.InvariantCulture)}.pdf");
    }
}
