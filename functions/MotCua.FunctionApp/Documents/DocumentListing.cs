using System.Text.Json;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Documents.Processing;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Outbox;

namespace MotCua.FunctionApp.Documents;

/// <summary>
/// Lists added documents on their dossier: one history entry for those not yet listed, with the
/// messages that start their processing, in the dossier's batch. Documents already listed are
/// skipped, so a retry or the sweep records what is missing and nothing twice.
/// </summary>
public sealed class DocumentListing(DossierStore dossiers)
{
    public const string AddedAction = "document-added";

    public Task<ApplyResult> ListAsync(string code, string actor, string causedBy, IReadOnlyList<(string Id, string FileName)> added,
        IReadOnlyList<OutboxEntity> messages, CancellationToken cancellationToken) =>
        dossiers.ApplyAsync(code, expectedVersion: null, (d, _) =>
        {
            var listed = d.DocumentIds.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            var fresh = added.Where(a => !listed.Contains(a.Id)).ToList();
            if (fresh.Count == 0) return ValueTask.FromResult<DossierChange?>(null);
            d.DocumentIds = string.Join(' ', listed.Concat(fresh.Select(f => f.Id)));
            d.DocumentCount += fresh.Count;
            var status = (DossierStatus)d.Status;
            return ValueTask.FromResult<DossierChange?>(new DossierChange(
                new StatusChange(status, status, AddedAction, $"Bổ sung tài liệu: {string.Join(", ", fresh.Select(f => f.FileName))}."), Outbox: messages));
        }, actor, causedBy, cancellationToken);

    /// <summary>The message that starts a stored document's processing; the steps ignore repeats.</summary>
    public static OutboxEntity StartMessage(string code, DocumentEntity document, string? traceParent) =>
        OutboxEntity.Create(code, DocumentQueues.Signatures, DocumentStepMessage.Subject,
            BinaryData.FromObjectAsJson(new DocumentStepMessage(document.PartitionKey, document.RowKey), JsonSerializerOptions.Web), traceParent);
}
