using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.Domain.Documents;
using MotCua.Domain.Search;
using MotCua.Domain.Units;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Documents.Processing;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Issuance;
using MotCua.FunctionApp.Search;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>One outgoing document found: its number, what it is, where it stands, and where the words were found (its fields, or pages of its issued file).</summary>
public sealed record OutgoingSearchResult(string Id, string? Symbol, string DocumentType, string Summary, string? IssueDate, StatusRef Status, PriorityRef Priority,
    DateTimeOffset? IssuedAt, IReadOnlyList<SearchMatch> Matches);

public sealed record OutgoingSearchPage(IReadOnlyList<OutgoingSearchResult> Items, string? Next);

/// <summary>
/// Where outgoing documents' words are kept: the dossiers' inverted index under the scope
/// <c>OUT-{agency}</c> (no unit code takes that form, nor the incoming scope), so an agency's search
/// reaches only its own documents. The issued file's pages are kept in the pages table under the
/// document's id, for the snippets.
/// </summary>
public static class OutgoingSearchScope
{
    /// <summary>The entry of the issued file's pages (the fields' entry has none).</summary>
    public const string IssuedFile = "issued";

    public static string Of(string agency) => OutgoingRows.Partition(agency);
}

/// <summary>
/// Indexes a document when it is issued: its number, type, summary and recipients are final then,
/// and so is its file, whose text is read page by page (its text layer, else OCR) from a private
/// temporary copy. A secret document is never indexed, neither its content nor its metadata, so no
/// search finds it. Index writes are upserts, so a repeated event changes nothing.
/// </summary>
public sealed partial class OutgoingSearchIndexer(OutgoingStore store, IDossierSearchIndex index, MotCuaTables tables, ResultFiles files, DocumentTextReader reader,
    OutgoingAccess access, ILogger<OutgoingSearchIndexer> logger) : IOutgoingEventHandler
{
    private const int MaxTermsPerPage = 2000;

    public async Task HandleAsync(OutgoingEvent change, CancellationToken cancellationToken)
    {
        if (change.Action != "issued" || change.Secret || !OutgoingDocumentId.TryParse(change.Id, out var id)) return;
        var d = await store.FindAsync(id.Value, cancellationToken);
        if (d is null || d.Secret || d.IssuedBlob is null) return;

        string[] scope = [OutgoingSearchScope.Of(d.Agency)];
        var names = new List<string?>();
        foreach (var r in OutgoingViewMapping.Recipients(d)) names.Add((await access.UnitAsync(r.Agency, cancellationToken))?.Name ?? r.Name);
        var fields = SearchTerms.Of(string.Join(' ', [d.Id, d.Symbol, d.DocumentType, d.Summary, .. names, .. OutgoingViewMapping.OtherRecipients(d)]));
        await index.IndexAsync(new SearchEntry(d.Id, null, 0, IncomingSearchScope.Letter), fields, scope, cancellationToken);

        DocumentText text;
        using (var folder = DocumentSteps.NewWorkFolder())
        {
            var path = Path.Combine(folder.Path, "issued.pdf");
            await using (var source = await files.OpenReadAsync(d.IssuedBlob, cancellationToken))
            await using (var copy = File.Create(path))
                await source.CopyToAsync(copy, cancellationToken);
            text = await reader.ReadAsync(path, DocumentKind.Pdf, folder.Path, cancellationToken);
        }
        var entries = 1;
        foreach (var page in text.Pages)
        {
            var terms = SearchTerms.Of(page.Text, MaxTermsPerPage);
            if (terms.Count == 0) continue;
            await tables.Pages.UpsertEntityAsync(new PageEntity
            {
                PartitionKey = d.Id, RowKey = PageEntity.Key(page.Number), Number = page.Number, Text = page.Text, Source = page.Source, Confidence = page.Confidence,
            }, TableUpdateMode.Replace, cancellationToken);
            await index.IndexAsync(new SearchEntry(d.Id, OutgoingSearchScope.IssuedFile, page.Number, SearchFields.Document), terms, scope, cancellationToken);
            entries++;
        }
        Indexed(logger, d.Id, entries, text.FailureCode);
    }

    [LoggerMessage(721, LogLevel.Information, "Outgoing document {Id}: {Entries} entries indexed (text failure: {Failure})")]
    private static partial void Indexed(ILogger logger, string id, int entries, string? failure);
}

/// <summary>
/// An official's search over their agency's issued documents, newest first, ignoring diacritics and
/// case; pages continue after the last document shown. Only what is not secret is ever indexed, and
/// a result is shown only to an official of the agency who may see the document now.
/// </summary>
public sealed class OutgoingSearch(IDossierSearchIndex index, MotCuaTables tables, OutgoingStore store, OutgoingAccess access)
{
    private const int MaxMatchesShown = 3;
    private const int MaxCandidateEntries = 20_000;
    private const int MaxDocumentsExamined = 500;

    public async Task<OutgoingSearchPage> SearchAsync(string agency, string? query, string? cursor, int? pageSize, CurrentUser user, CancellationToken cancellationToken)
    {
        if (!AgencyCodes.IsValid(agency)) throw BadRequest("agency", "Mã cơ quan không hợp lệ.", "The agency's code is not valid.");
        await access.RequireMemberAsync(user, agency, cancellationToken);
        if (string.IsNullOrWhiteSpace(query) || query.Length > 200) throw BadRequest("q", "Từ khóa bắt buộc, tối đa 200 ký tự.", "A query of at most 200 characters is required.");
        var terms = SearchTerms.Of(query, IncomingSearch.MaxQueryTerms + 1);
        if (terms.Count == 0) throw BadRequest("q", "Từ khóa cần ít nhất một từ có từ 2 ký tự.", "The query needs a word of at least 2 characters.");
        if (terms.Count > IncomingSearch.MaxQueryTerms) throw BadRequest("q", $"Tối đa {IncomingSearch.MaxQueryTerms} từ.", $"At most {IncomingSearch.MaxQueryTerms} words.");
        var size = pageSize ?? IncomingSearch.DefaultPageSize;
        if (size is < 1 or > IncomingSearch.MaxPageSize) throw BadRequest("pageSize", $"Từ 1 đến {IncomingSearch.MaxPageSize}.", $"1 to {IncomingSearch.MaxPageSize}.");
        if (cursor is not null && !(OutgoingDocumentId.TryParse(cursor, out var after) && after.Value.Agency == agency))
            throw BadRequest("cursor", "Con trỏ trang không hợp lệ.", "The page cursor is not valid.");

        // Entries come newest document first (ids begin with the agency and the day of drafting).
        var entries = await index.SearchAsync(OutgoingSearchScope.Of(agency), terms, MaxCandidateEntries, cancellationToken);
        var results = new List<OutgoingSearchResult>();
        var examined = 0;
        foreach (var group in entries.GroupBy(e => e.DossierCode))
        {
            if (cursor is not null && string.CompareOrdinal(group.Key, cursor) >= 0) continue;
            if (results.Count > size || ++examined > MaxDocumentsExamined) break;
            var d = OutgoingDocumentId.TryParse(group.Key, out var id) ? await store.FindAsync(id.Value, cancellationToken) : null;
            if (d is null || d.Agency != agency || !OutgoingAccess.MaySee(user, d)) continue;
            var matches = new List<SearchMatch>();
            foreach (var entry in group.OrderBy(e => e.DocumentId is null ? 0 : 1).ThenBy(e => e.Page).Take(MaxMatchesShown))
                matches.Add(await MatchAsync(d, entry, terms, cancellationToken));
            results.Add(new OutgoingSearchResult(d.Id, d.Symbol, d.DocumentType, d.Summary, d.IssueDate, new StatusRef(d.State.Code(), d.State.Name()),
                new PriorityRef(d.Priority, DocumentPriority.Name(d.Priority)), d.IssuedAt, matches));
        }
        var next = results.Count > size ? results[size - 1].Id : null;
        return new OutgoingSearchPage([.. results.Take(size)], next);
    }

    private async Task<SearchMatch> MatchAsync(OutgoingDocumentEntity d, SearchEntry entry, IReadOnlyCollection<string> terms, CancellationToken cancellationToken)
    {
        if (entry.DocumentId is null) return new SearchMatch(IncomingSearchScope.Letter, null, null, null, null);
        var page = await tables.Pages.GetEntityIfExistsAsync<PageEntity>(d.Id, PageEntity.Key(entry.Page), cancellationToken: cancellationToken);
        var fileName = d.Symbol is { } symbol ? symbol.Replace('/', '-') + ".pdf" : d.FileName;
        return new SearchMatch(SearchFields.Document, null, fileName, entry.Page, page.HasValue ? IncomingSearch.Snippet(page.Value!.Text, terms) : null);
    }
}
