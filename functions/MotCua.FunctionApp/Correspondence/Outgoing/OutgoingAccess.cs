using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Correspondence.Incoming;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>
/// Who sees and does what with an agency's outgoing documents: the agency's officials see its
/// documents; a secret one only those who draft, review, sign or number it and the agency's leaders.
/// To anyone else a document does not exist (404).
/// </summary>
public sealed class OutgoingAccess(IncomingAccess agencies, ProcedureCatalog catalog)
{
    public Task<string?> AgencyOfAsync(CurrentUser user, CancellationToken cancellationToken) => agencies.AgencyOfAsync(user, cancellationToken);

    public Task<bool> AgencyExistsAsync(string agency, CancellationToken cancellationToken) => agencies.AgencyExistsAsync(agency, cancellationToken);

    public async Task<Unit?> UnitAsync(string code, CancellationToken cancellationToken) =>
        (await catalog.UnitsAsync(cancellationToken)).GetValueOrDefault(code);

    public async Task RequireMemberAsync(CurrentUser user, string agency, CancellationToken cancellationToken)
    {
        if (await AgencyOfAsync(user, cancellationToken) != agency)
            throw Forbidden("Chỉ cán bộ của cơ quan được làm việc với văn bản đi của cơ quan.", "Only the agency's officials work with its outgoing documents.");
    }

    public async Task RequireVisibleAsync(CurrentUser user, OutgoingDocumentEntity d, CancellationToken cancellationToken)
    {
        if (await AgencyOfAsync(user, cancellationToken) != d.Agency) throw OutgoingProblems.NotFound(d.Id);
        if (!MaySee(user, d)) throw OutgoingProblems.NotFound(d.Id);
    }

    /// <summary>Within the agency: any document but a secret one, which only its drafter, reviewer, signer, records clerks and leaders see.</summary>
    public static bool MaySee(CurrentUser user, OutgoingDocumentEntity d) =>
        !d.Secret || IncomingAccess.IsRecordsClerkOrLeader(user) || user.Id == d.DraftedBy || IsReviewer(user, d) || user.Id == d.Signer;

    /// <summary>Who may review: the named reviewer, or without one the head of the drafting department.</summary>
    public static bool IsReviewer(CurrentUser user, OutgoingDocumentEntity d) =>
        d.Reviewer is { } reviewer ? user.Id == reviewer : user.HasRole(Roles.DepartmentHead) && user.Unit == d.DraftingUnit;
}

/// <summary>Names of agencies outside this deployment, as the document exchange lists them; none without an exchange.</summary>
public interface IOutsideAgencyNames
{
    ValueTask<string?> NameAsync(string agency, CancellationToken cancellationToken);
}
