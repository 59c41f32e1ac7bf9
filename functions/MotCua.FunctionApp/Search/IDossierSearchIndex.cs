namespace MotCua.FunctionApp.Search;

/// <summary>Where a text was found: the dossier's own fields (no document) or a page of a document.</summary>
public sealed record SearchEntry(string DossierCode, string? DocumentId, int Page, string Field);

public static class SearchFields
{
    public const string Document = "document";
    public const string Applicant = "applicant";
}

/// <summary>
/// The words of dossiers and their documents, by unit: an official's search reaches only the
/// units' entries it is given. Kept small so another store (Azure AI Search) could take its place.
/// </summary>
public interface IDossierSearchIndex
{
    /// <summary>Adds <paramref name="terms"/> for the entry under each unit. Repeating it changes nothing.</summary>
    Task IndexAsync(SearchEntry entry, IReadOnlyCollection<string> terms, IReadOnlyCollection<string> units, CancellationToken cancellationToken);

    /// <summary>The entries of <paramref name="unit"/> that hold every one of <paramref name="terms"/>.</summary>
    Task<IReadOnlyList<SearchEntry>> SearchAsync(string unit, IReadOnlyCollection<string> terms, int limit, CancellationToken cancellationToken);
}
