using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Search;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Search;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Incoming;

/// <summary>One incoming document found: what it is, where it stands, and where the words were found (its fields, or pages of its files).</summary>
public sealed record IncomingSearchResult(string Id, string? Number, string? Notation, string? SenderName, string? Summary, RegisterRef? Register,
    StatusRef Status, PriorityRef Priority, DateTimeOffset ArrivedAt, IReadOnlyList<SearchMatch> Matches);

public sealed record IncomingSearchPage(IReadOnlyList<IncomingSearchResult> Items, string? Next);

/// <summary>
/// Where incoming documents' words are kept: the same inverted index as dossiers, under the scope
/// <c>IN-{agency}</c> (no unit code takes that form), so an agency's search reaches only its own
/// documents. A document is found by its number and notation, its sender, type and summary, its
/// receipt number (số đến, as "15/2026") and the words of its files' pages.
/// </summary>
public static class IncomingSearchScope
{
    /// <summary>The document's own fields, as opposed to <see cref="SearchFields.Document"/> (a page of a file).</summary>
    public const string Letter = "letter";

    public static string Of(string agency) => IncomingRows.Partition(agency);
}

/// <summary>
/// Indexes a document when it is registered. Its fields are final then (the records clerk confirms
/// them at registration, and no later step changes them) and so are its files' pages (registration
/// waits until every file is checked, which is after its text is read). A secret document is never
/// indexed: neither its content (it has none) nor its metadata, so no search finds it. Index writes
/// are upserts, so a repeated event changes nothing.
/// </summary>
public sealed partial class IncomingSearchIndexer(IncomingStore store, IDossierSearchIndex index, MotCuaTables tables, ILogger<IncomingSearchIndexer> logger)
    : IIncomingEventHandler
{
    private const int MaxTermsPerPage = 2000;

    public async Task HandleAsync(IncomingEvent change, string messageId, CancellationToken cancellationToken)
    {
        if (change.Action != "registered" || change.Secret) return;
        if (!IncomingDocumentId.TryParse(change.Id, out var id)) return;
        var d = await store.FindAsync(id.Value, cancellationToken);
        if (d is null || d.Secret || d.RegisterNumber is null) return;

        string[] scope = [IncomingSearchScope.Of(d.Agency)];
        var fields = SearchTerms.Of(string.Join(' ', d.Id, d.Number, d.Notation, $"{d.Number}/{d.Notation}", d.SenderName, d.DocumentType, d.Summary,
            $"{d.RegisterNumber}/{d.RegisterYear}"));
        await index.IndexAsync(new SearchEntry(d.Id, null, 0, IncomingSearchScope.Letter), fields, scope, cancellationToken);
        var entries = 1;
        if (d.FilesOwner is { } owner)
        {
            await foreach (var file in tables.Documents.QueryAsync<DocumentEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {owner}"), select: ["RowKey"],
                cancellationToken: cancellationToken))
            {
                await foreach (var page in tables.Pages.QueryAsync<PageEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {file.RowKey}"), cancellationToken: cancellationToken))
                {
                    var terms = SearchTerms.Of(page.Text, MaxTermsPerPage);
                    if (terms.Count == 0) continue;
                    await index.IndexAsync(new SearchEntry(d.Id, file.RowKey, page.Number, SearchFields.Document), terms, scope, cancellationToken);
                    entries++;
                }
            }
        }
        Indexed(logger, d.Id, entries);
    }

    [LoggerMessage(1, LogLevel.Information, "Incoming document {Id}: {Entries} entries indexed")]
    private static partial void Indexed(ILogger logger, string id, int entries);
}

/// <summary>
/// An official's search over their agency's incoming documents, newest first, ignoring diacritics
/// and case; pages continue after the last document shown. A document is shown only to those who
/// may see it now (<see cref="IncomingAccess.CanSeeAsync"/>).
/// </summary>
public sealed class IncomingSearch(IDossierSearchIndex index, MotCuaTables tables, IncomingStore store, IncomingAccess access)
{
    public const int MaxQueryTerms = 8;
    public const int DefaultPageSize = 20, MaxPageSize = 50;
    private const int MaxMatchesShown = 3;
    private const int MaxCandidateEntries = 20_000;
    private const int MaxDocumentsExamined = 500;
    private const int SnippetChars = 160;

    public async Task<IncomingSearchPage> SearchAsync(string agency, string? query, string? cursor, int? pageSize, CurrentUser user, CancellationToken cancellationToken)
    {
        await access.RequireMemberAsync(user, agency, cancellationToken);
        if (string.IsNullOrWhiteSpace(query) || query.Length > 200) throw BadRequest("q", "Từ khóa bắt buộc, tối đa 200 ký tự.", "A query of at most 200 characters is required.");
        var terms = SearchTerms.Of(query, MaxQueryTerms + 1);
        if (terms.Count == 0) throw BadRequest("q", "Từ khóa cần ít nhất một từ có từ 2 ký tự.", "The query needs a word of at least 2 characters.");
        if (terms.Count > MaxQueryTerms) throw BadRequest("q", $"Tối đa {MaxQueryTerms} từ.", $"At most {MaxQueryTerms} words.");
        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize) throw BadRequest("pageSize", $"Từ 1 đến {MaxPageSize}.", $"1 to {MaxPageSize}.");
        if (cursor is not null && !(IncomingDocumentId.TryParse(cursor, out var after) && after.Value.Agency == agency))
            throw BadRequest("cursor", "Con trỏ trang không hợp lệ.", "The page cursor is not valid.");

        // Entries come newest document first (ids begin with the agency and the day of arrival).
        var entries = await index.SearchAsync(IncomingSearchScope.Of(agency), terms, MaxCandidateEntries, cancellationToken);
        var results = new List<IncomingSearchResult>();
        var examined = 0;
        foreach (var group in entries.GroupBy(e => e.DossierCode))
        {
            if (cursor is not null && string.CompareOrdinal(group.Key, cursor) >= 0) continue;
            if (results.Count > size || ++examined > MaxDocumentsExamined) break;
            var d = IncomingDocumentId.TryParse(group.Key, out var id) ? await store.FindAsync(id.Value, cancellationToken) : null;
            if (d is null || !await access.CanSeeAsync(user, d, cancellationToken)) continue;
            var matches = new List<SearchMatch>();
            foreach (var entry in group.OrderBy(e => e.DocumentId is null ? 0 : 1).ThenBy(e => e.DocumentId, StringComparer.Ordinal).ThenBy(e => e.Page).Take(MaxMatchesShown))
                matches.Add(await MatchAsync(d, entry, terms, cancellationToken));
            results.Add(new IncomingSearchResult(d.Id, d.Number, d.Notation, d.SenderName, d.Summary,
                d.RegisterNumber is { } n ? new RegisterRef(d.RegisterYear!.Value, n, d.RegisteredAt!.Value) : null,
                new StatusRef(d.State.Code(), d.State.Name()), new PriorityRef(d.Priority, DocumentPriority.Name(d.Priority)), d.ArrivedAt, matches));
        }
        var next = results.Count > size ? results[size - 1].Id : null;
        return new IncomingSearchPage([.. results.Take(size)], next);
    }

    private async Task<SearchMatch> MatchAsync(IncomingDocumentEntity d, SearchEntry entry, IReadOnlyCollection<string> terms, CancellationToken cancellationToken)
    {
        if (entry.DocumentId is null || d.FilesOwner is null) return new SearchMatch(IncomingSearchScope.Letter, null, null, null, null);
        var file = await tables.Documents.GetEntityIfExistsAsync<DocumentEntity>(d.FilesOwner, entry.DocumentId, select: ["FileName"], cancellationToken: cancellationToken);
        var page = await tables.Pages.GetEntityIfExistsAsync<PageEntity>(entry.DocumentId, PageEntity.Key(entry.Page), cancellationToken: cancellationToken);
        return new SearchMatch(SearchFields.Document, entry.DocumentId, file.HasValue ? file.Value!.FileName : null, entry.Page,
            page.HasValue ? Snippet(page.Value!.Text, terms) : null);
    }

    /// <summary>The text around the first query word, found in the folded copy (folding keeps one character per character of the spaced-out text).</summary>
    internal static string Snippet(string text, IReadOnlyCollection<string> terms)
    {
        var plain = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var folded = MotCua.Domain.Text.VietnameseText.Fold(plain);
        var at = terms.Select(t => folded.IndexOf(t, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(0).Min();
        var start = Math.Clamp(at - SnippetChars / 3, 0, Math.Max(0, plain.Length - 1));
        return plain.Substring(start, Math.Min(SnippetChars, plain.Length - start));
    }
}
