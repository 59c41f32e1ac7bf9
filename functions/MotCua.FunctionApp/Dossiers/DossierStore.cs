using Azure;
using Azure.Data.Tables;
using MotCua.Domain.Dossiers;
using MotCua.Domain.History;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Dossiers;

public enum ChangeOutcome
{
    Applied,
    AlreadyDone,
    NotFound,
}

/// <summary>
/// A dossier's partition: the dossier row, its hash-chained history and its outbox. Every status
/// change is one ETag-checked batch: the row, the history entry and the messages it causes land
/// together or not at all.
/// </summary>
public sealed class DossierStore(MotCuaTables tables, TimeProvider time)
{
    private const int MaxConflictRetries = 5;

    /// <summary>Writes a new dossier with its first history entry and outbox messages, after marking the outbox pending.</summary>
    public async Task CreateAsync(DossierEntity dossier, StatusChange created, string actor, IReadOnlyList<OutboxEntity> outbox, CancellationToken cancellationToken)
    {
        var entry = HistoryChain.Append(0, HistoryChain.Genesis, dossier.SubmittedAt, actor, created, causedBy: "submission");
        dossier.HistoryCount = entry.Sequence;
        dossier.LastHistoryHash = entry.Hash;
        if (outbox.Count > 0)
        {
            await tables.Outbox.UpsertEntityAsync(PendingOutbox.For(dossier.PartitionKey), TableUpdateMode.Replace, cancellationToken);
        }
        await tables.Dossiers.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, dossier),
                new TableTransactionAction(TableTransactionActionType.Add, ToEntity(dossier.PartitionKey, entry)),
                .. outbox.Select(o => new TableTransactionAction(TableTransactionActionType.Add, o)),
            ], cancellationToken);
    }

    /// <summary>
    /// Applies the change <paramref name="decide"/> picks for the dossier's current state, or none when
    /// it picks null (the work was done already). A concurrent writer makes it read and decide again.
    /// </summary>
    public async Task<ChangeOutcome> ApplyAsync(string code, Func<DossierEntity, StatusChange?> decide, string actor, string causedBy, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await tables.Dossiers.GetEntityIfExistsAsync<DossierEntity>(code, DossierRows.Dossier, cancellationToken: cancellationToken);
            if (!row.HasValue) return ChangeOutcome.NotFound;
            var dossier = row.Value!;
            if (decide(dossier) is not { } change) return ChangeOutcome.AlreadyDone;

            var now = time.GetUtcNow();
            var entry = HistoryChain.Append(dossier.HistoryCount, dossier.LastHistoryHash, now, actor, change, causedBy);
            dossier.Status = (int)change.To;
            dossier.UpdatedAt = now;
            dossier.HistoryCount = entry.Sequence;
            dossier.LastHistoryHash = entry.Hash;
            try
            {
                await tables.Dossiers.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, dossier, dossier.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, ToEntity(code, entry)),
                    ], cancellationToken);
                return ChangeOutcome.Applied;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxConflictRetries)
            {
            }
        }
    }

    public async Task<(DossierEntity Dossier, IReadOnlyList<HistoryEntry> History)?> GetAsync(string code, CancellationToken cancellationToken)
    {
        var row = await tables.Dossiers.GetEntityIfExistsAsync<DossierEntity>(code, DossierRows.Dossier, cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        var history = new List<HistoryEntry>();
        await foreach (var e in tables.Dossiers.QueryAsync<HistoryEntity>(
            DossierRows.PrefixFilter(code, DossierRows.HistoryPrefix), cancellationToken: cancellationToken))
        {
            history.Add(new HistoryEntry(e.Sequence, e.At, e.Actor, e.Action, (DossierStatus)e.FromStatus, (DossierStatus)e.ToStatus,
                e.Comment, e.CausedBy, e.PreviousHash, e.Hash));
        }
        return (row.Value!, history);
    }

    private static HistoryEntity ToEntity(string code, HistoryEntry e) => new()
    {
        PartitionKey = code,
        RowKey = DossierRows.History(e.Sequence),
        Sequence = e.Sequence,
        At = e.At,
        Actor = e.Actor,
        Action = e.Action,
        FromStatus = (int)e.From,
        ToStatus = (int)e.To,
        Comment = e.Comment,
        CausedBy = e.CausedBy,
        PreviousHash = e.PreviousHash,
        Hash = e.Hash,
    };
}
