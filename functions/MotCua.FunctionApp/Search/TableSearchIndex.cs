using System.Globalization;
using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Search;

/// <summary>
/// An inverted index in Table storage, the same on Azurite and in Azure: PartitionKey =
/// "{unit}|{term}", RowKey = "{dossier code}|{document id or -}|{page}". A term's postings are one
/// partition scan (the first 20,000 of a very common term); a query intersects its terms'
/// postings, rarest term first, and gives the newest dossiers first.
/// </summary>
public sealed class TableSearchIndex(MotCuaTables tables) : IDossierSearchIndex
{
    private const int MaxPostingsPerTerm = 20_000;
    private const int WriteConcurrency = 16;

    public async Task IndexAsync(SearchEntry entry, IReadOnlyCollection<string> terms, IReadOnlyCollection<string> units, CancellationToken cancellationToken)
    {
        var rowKey = RowKey(entry);
        var rows = units.SelectMany(unit => terms.Select(term => new TableEntity(PartitionKey(unit, term), rowKey)
        {
            ["DossierCode"] = entry.DossierCode,
            ["DocumentId"] = entry.DocumentId ?? string.Empty,
            ["Page"] = entry.Page,
            ["Field"] = entry.Field,
        }));
        // Each term is its own partition, so rows cannot share a batch; they go in parallel instead.
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = WriteConcurrency, CancellationToken = cancellationToken },
            async (row, ct) => await tables.SearchIndex.UpsertEntityAsync(row, TableUpdateMode.Replace, ct));
    }

    public async Task<IReadOnlyList<SearchEntry>> SearchAsync(string unit, IReadOnlyCollection<string> terms, int limit, CancellationToken cancellationToken)
    {
        if (terms.Count == 0) return [];
        var postings = await Task.WhenAll(terms.Select(term => PostingsAsync(unit, term, cancellationToken)));
        var matches = postings.OrderBy(p => p.Count).Aggregate((all, next) =>
        {
            var keep = new Dictionary<string, SearchEntry>(all.Where(p => next.ContainsKey(p.Key)), StringComparer.Ordinal);
            return keep;
        });
        // Codes carry their date, so descending key order puts the newest dossiers first.
        return matches.OrderByDescending(m => m.Key, StringComparer.Ordinal).Take(limit).Select(m => m.Value).ToList();
    }

    private async Task<Dictionary<string, SearchEntry>> PostingsAsync(string unit, string term, CancellationToken cancellationToken)
    {
        var postings = new Dictionary<string, SearchEntry>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey(unit, term)}");
        await foreach (var row in tables.SearchIndex.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey", "DossierCode", "DocumentId", "Page", "Field"], cancellationToken: cancellationToken))
        {
            var documentId = row.GetString("DocumentId");
            postings[row.RowKey] = new SearchEntry(row.GetString("DossierCode"), string.IsNullOrEmpty(documentId) ? null : documentId,
                row.GetInt32("Page") ?? 0, row.GetString("Field") ?? SearchFields.Document);
            if (postings.Count >= MaxPostingsPerTerm) break;
        }
        return postings;
    }

    /// <summary>Table keys may not hold '/', and search terms may ("12/3/2024"): it becomes '_', which terms never contain.</summary>
    private static string PartitionKey(string unit, string term) => $"{unit}|{term.Replace('/', '_')}";

    private static string RowKey(SearchEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{entry.DossierCode}|{entry.DocumentId ?? "-"}|{entry.Page:D5}");
}
