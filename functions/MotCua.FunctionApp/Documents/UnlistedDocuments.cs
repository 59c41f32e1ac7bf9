using Azure.Data.Tables;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Documents;

/// <summary>
/// A document added after submission is written first and listed on its dossier after; a crash in
/// between leaves it stored, unlisted and unprocessed, with no outbox row to find it by. The sweep's
/// scan lists such documents as the addition would have, and queues their processing.
/// </summary>
public sealed class UnlistedDocuments(MotCuaTables tables, DocumentListing listing, ILogger<UnlistedDocuments> logger) : IStrandedWork
{
    public const string Actor = "system";

    public async Task<IReadOnlyCollection<string>> RepairAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var byDossier = new Dictionary<string, List<DocumentEntity>>(StringComparer.Ordinal);
        // Documents leave this stage as soon as processing starts, so the stage filter keeps the scan small.
        var filter = TableClient.CreateQueryFilter($"Stage eq {DocumentStages.Stored}");
        await foreach (var document in tables.Documents.QueryAsync<DocumentEntity>(filter, cancellationToken: cancellationToken))
        {
            if ((document.StoredAt ?? document.UploadedAt) >= olderThan || string.IsNullOrEmpty(document.DossierCode)) continue;
            if (!byDossier.TryGetValue(document.DossierCode, out var list)) byDossier[document.DossierCode] = list = [];
            list.Add(document);
        }

        var changed = new List<string>();
        foreach (var (code, documents) in byDossier)
        {
            var result = await listing.ListAsync(code, Actor, Actor, [.. documents.Select(d => (d.RowKey, d.FileName))],
                [.. documents.Select(d => DocumentListing.StartMessage(code, d, traceParent: null))], cancellationToken);
            if (result.Outcome != ChangeOutcome.Applied) continue;
            UnlistedDocumentsLog.Listed(logger, code);
            changed.Add(code);
        }
        return changed;
    }
}

internal static partial class UnlistedDocumentsLog
{
    [LoggerMessage(1, LogLevel.Warning, "Dossier {DossierCode}: documents stored but never listed were listed and their processing queued")]
    public static partial void Listed(ILogger logger, string dossierCode);
}
