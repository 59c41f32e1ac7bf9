using Azure.Data.Tables;
using MotCua.Domain.Search;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Search;

public sealed record SearchMatch(string Field, string? DocumentId, string? FileName, int? Page, string? Snippet);

public sealed record SearchResult(string DossierCode, string ApplicantName, string ProcedureName, Dossiers.StatusView Status, IReadOnlyList<SearchMatch> Matches);

/// <summary>
/// An official's search over the dossiers of their unit: by words of the documents, the
/// applicant's name or ID number, or the dossier code, ignoring diacritics and case.
/// </summary>
public sealed class DossierSearch(IDossierSearchIndex index, MotCuaTables tables)
{
    public const int MaxQueryTerms = 8;
    public const int MaxResults = 50;
    private const int SnippetChars = 160;
    private const int MaxCandidateEntries = 5000;
    private const int MaxCandidateDossiers = 500;

    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string? query, int? limit, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!user.IsOfficial || user.Unit is null) throw Forbidden("Chỉ cán bộ của đơn vị được tìm kiếm hồ sơ.", "Only a unit's officials search its dossiers.");
        if (string.IsNullOrWhiteSpace(query) || query.Length > 200) throw BadRequest("q", "Từ khóa bắt buộc, tối đa 200 ký tự.", "A query of at most 200 characters is required.");
        var terms = SearchTerms.Of(query, MaxQueryTerms + 1);
        if (terms.Count == 0) throw BadRequest("q", "Từ khóa cần ít nhất một từ có từ 2 ký tự.", "The query needs a word of at least 2 characters.");
        if (terms.Count > MaxQueryTerms) throw BadRequest("q", $"Tối đa {MaxQueryTerms} từ.", $"At most {MaxQueryTerms} words.");
        var take = Math.Clamp(limit ?? 20, 1, MaxResults);

        // Who may see a dossier is checked before the limit is applied, newest first, up to a bounded number of candidates.
        var entries = await index.SearchAsync(user.Unit, terms, MaxCandidateEntries, cancellationToken);
        var results = new List<SearchResult>();
        var examined = 0;
        foreach (var group in entries.GroupBy(e => e.DossierCode))
        {
            if (results.Count == take || ++examined > MaxCandidateDossiers) break;
            var row = await tables.Dossiers.GetEntityIfExistsAsync<DossierEntity>(group.Key, DossierRows.Dossier, cancellationToken: cancellationToken);
            // The index names every unit that may handle the dossier; who may see it now is the dossier's own rule.
            if (!row.HasValue || !DossierReader.MaySee(user, row.Value!)) continue;
            var dossier = row.Value!;
            var matches = new List<SearchMatch>();
            foreach (var entry in group.Take(10)) matches.Add(await MatchAsync(dossier, entry, terms, cancellationToken));
            results.Add(new SearchResult(dossier.PartitionKey, dossier.ApplicantName, dossier.ProcedureName,
                Dossiers.StatusView.Of((MotCua.Domain.Dossiers.DossierStatus)dossier.Status), matches));
        }
        return results;
    }

    private async Task<SearchMatch> MatchAsync(DossierEntity dossier, SearchEntry entry, IReadOnlyCollection<string> terms, CancellationToken cancellationToken)
    {
        if (entry.DocumentId is null) return new SearchMatch(entry.Field, null, null, null, null);
        var document = await tables.Documents.GetEntityIfExistsAsync<DocumentEntity>(dossier.DossierId, entry.DocumentId, select: ["FileName"], cancellationToken: cancellationToken);
        var page = await tables.Pages.GetEntityIfExistsAsync<PageEntity>(entry.DocumentId, PageEntity.Key(entry.Page), cancellationToken: cancellationToken);
        return new SearchMatch(entry.Field, entry.DocumentId, document.HasValue ? document.Value!.FileName : null, entry.Page,
            page.HasValue ? Snippet(page.Value!.Text, terms) : null);
    }

    /// <summary>The text around the first query word, found in the folded copy (folding keeps one character per character here).</summary>
    private static string Snippet(string text, IReadOnlyCollection<string> terms)
    {
        var folded = MotCua.Domain.Text.VietnameseText.Fold(text);
        var at = terms.Select(t => folded.IndexOf(t, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(0).Min();
        var plain = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var start = Math.Clamp(at - SnippetChars / 3, 0, Math.Max(0, plain.Length - 1));
        var length = Math.Min(SnippetChars, plain.Length - start);
        return plain.Substring(start, length);
    }
}
