using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>
/// Who sees and does what with an agency's incoming documents. Officials of the agency and of its
/// departments see its documents; a secret one only those who register, direct or handle it. To
/// anyone else a document does not exist (404), so its existence leaks nothing.
/// </summary>
public sealed class IncomingAccess(ProcedureCatalog catalog)
{
    /// <summary>The agency the user works for (their unit, or the agency above their department).</summary>
    public async Task<string?> AgencyOfAsync(CurrentUser user, CancellationToken cancellationToken) =>
        user.IsOfficial ? (await catalog.AgencyOfAsync(user.Unit, cancellationToken))?.AgencyCode : null;

    public async Task<bool> AgencyExistsAsync(string agency, CancellationToken cancellationToken) =>
        (await catalog.UnitsAsync(cancellationToken)).TryGetValue(agency, out var unit) && !unit.IsDepartment;

    /// <summary>Officials of <paramref name="agency"/>; anyone else is refused with 403.</summary>
    public async Task RequireMemberAsync(CurrentUser user, string agency, CancellationToken cancellationToken)
    {
        if (await AgencyOfAsync(user, cancellationToken) != agency)
            throw Forbidden("Chỉ cán bộ của cơ quan được xem văn bản đến của cơ quan.", "Only the agency's officials see its incoming documents.");
    }

    /// <summary>Refuses, as not found, whoever may not see the document.</summary>
    public async Task RequireVisibleAsync(CurrentUser user, IncomingDocumentEntity d, CancellationToken cancellationToken)
    {
        if (!await CanSeeAsync(user, d, cancellationToken)) throw IncomingProblems.NotFound(d.Id);
    }

    public async Task<bool> CanSeeAsync(CurrentUser user, IncomingDocumentEntity d, CancellationToken cancellationToken)
    {
        if (await AgencyOfAsync(user, cancellationToken) != d.Agency) return false;
        if (!d.Secret) return true;
        return IsRecordsClerkOrLeader(user) || IsHandler(user, d) || d.ArrivedBy == user.Id;
    }

    public static bool IsRecordsClerkOrLeader(CurrentUser user) =>
        user.HasRole(Roles.RecordsClerk) || user.HasRole(Roles.Leader) || user.HasRole(Roles.DeputyLeader);

    /// <summary>The lead person, the person it was passed to, the lead department's head, co-handlers and those informed.</summary>
    public static bool IsHandler(CurrentUser user, IncomingDocumentEntity d) =>
        user.Id == d.LeadUser || user.Id == d.Assignee || IsLeadDepartmentHead(user, d)
        || IncomingLists.Split(d.CoHandlers).Contains(user.Id) || IncomingLists.Split(d.CoHandlers).Contains(user.Unit ?? "")
        || IncomingLists.Split(d.Informed).Contains(user.Id) || IncomingLists.Split(d.Informed).Contains(user.Unit ?? "");

    public static bool IsLeadDepartmentHead(CurrentUser user, IncomingDocumentEntity d) =>
        d.LeadUnit is not null && user.HasRole(Roles.DepartmentHead) && user.Unit == d.LeadUnit;

    /// <summary>Who records progress and finishes: the person handling it, or the head of the lead department.</summary>
    public static bool IsLeadHandler(CurrentUser user, IncomingDocumentEntity d) =>
        user.Id == (d.Assignee ?? d.LeadUser) || IsLeadDepartmentHead(user, d);
}
