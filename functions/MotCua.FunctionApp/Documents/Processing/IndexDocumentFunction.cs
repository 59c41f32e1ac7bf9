using Azure.Data.Tables;
using MotCua.Domain.Search;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Search;

namespace MotCua.FunctionApp.Documents.Processing;

/// <summary>
/// Third step: the words of every page, and the dossier's own (applicant, ID number, code), go
/// into the search index under each unit that may handle the dossier. Index writes are upserts, so
/// repeating the step changes nothing.
/// </summary>
public sealed class IndexDocumentFunction(DocumentSteps steps, IDossierSearchIndex index, ProcedureCatalog catalog, ILogger<IndexDocumentFunction> logger) : IQueueHandler<DocumentStepMessage>
{
    private const int MaxTermsPerPage = 2000;

    public static readonly FunctionDeclaration Declaration = new("IndexDocument", new QueueTrigger(DocumentQueues.Index));

    public async Task HandleAsync(QueueMessage<DocumentStepMessage> message, CancellationToken cancellationToken)
    {
        var document = await steps.ReadAsync(message, cancellationToken);
        if (document is null || !DocumentStages.Reached(document.Stage, DocumentStages.TextRead))
        {
            // Gone, or not yet here: whatever brings the document to this step sends its message again.
            DocumentLog.NotAtStep(logger, Declaration.Name, message.Body.DocumentId);
            return;
        }

        if (!DocumentStages.Reached(document.Stage, DocumentStages.Indexed) && Correspondence.Incoming.IncomingFileOutcomes.Owns(document.DossierCode))
        {
            // An incoming document's words are indexed for its agency when it is registered.
            document.Stage = DocumentStages.Indexed;
            await steps.SaveAsync(document, cancellationToken);
        }
        else if (!DocumentStages.Reached(document.Stage, DocumentStages.Indexed))
        {
            var dossier = await steps.Tables.Dossiers.GetEntityIfExistsAsync<DossierEntity>(document.DossierCode, DossierRows.Dossier, cancellationToken: cancellationToken);
            // The document rows are written before the dossier's batch: a retry finds it.
            if (!dossier.HasValue) throw new InvalidOperationException($"Dossier {document.DossierCode} has no row yet.");
            var units = await UnitsAsync(dossier.Value!, cancellationToken);
            var entries = await IndexDossierAsync(dossier.Value!, units, cancellationToken);
            await foreach (var page in steps.Tables.Pages.QueryAsync<PageEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {document.RowKey}"), cancellationToken: cancellationToken))
            {
                var terms = SearchTerms.Of(page.Text, MaxTermsPerPage);
                if (terms.Count == 0) continue;
                await index.IndexAsync(new SearchEntry(document.DossierCode, document.RowKey, page.Number, SearchFields.Document), terms, units, cancellationToken);
                entries++;
            }
            document.Stage = DocumentStages.Indexed;
            await steps.SaveAsync(document, cancellationToken);
            DocumentLog.Indexed(logger, document.DossierCode, document.RowKey, entries);
        }

        await steps.SendAsync(DocumentQueues.Outcome, document, message.TraceParent, cancellationToken);
    }

    private async Task<int> IndexDossierAsync(DossierEntity dossier, IReadOnlyCollection<string> units, CancellationToken cancellationToken)
    {
        var terms = SearchTerms.Of($"{dossier.ApplicantName} {dossier.ApplicantIdNumber} {dossier.PartitionKey}");
        await index.IndexAsync(new SearchEntry(dossier.PartitionKey, null, 0, SearchFields.Applicant), terms, units, cancellationToken);
        return 1;
    }

    /// <summary>The receiving unit and every unit the procedure's steps name: the units that may hold the dossier.</summary>
    private async Task<IReadOnlyCollection<string>> UnitsAsync(DossierEntity dossier, CancellationToken cancellationToken)
    {
        var procedure = await catalog.FindVersionAsync(dossier.ProcedureCode, dossier.ProcedureVersion, cancellationToken);
        return new HashSet<string>((procedure?.Workflow ?? []).Select(s => s.Unit).OfType<string>().Append(dossier.ReceivingUnit), StringComparer.Ordinal);
    }
}
