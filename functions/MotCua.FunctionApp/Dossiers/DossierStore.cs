using System.Text.Json;
using Azure.Data.Tables;
using MotCua.Domain.Dossiers;
using MotCua.Domain.History;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Observability;
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
/// A change picked for a dossier: the status move, what it carried, the messages it causes, and other
/// rows of the dossier's partition it changes (written with their ETag, or added when they have none).
/// </summary>
public sealed record DossierChange(StatusChange Change, object? Details = null, IReadOnlyList<OutboxEntity>? Outbox = null,
    IReadOnlyList<ITableEntity>? Rows = null);

public sealed record ApplyResult(ChangeOutcome Outcome, DossierEntity? Dossier = null, HistoryEntry? Entry = null, IReadOnlyList<OutboxEntity>? Outbox = null,
    Azure.ETag? PendingMark = null);

/// <summary>Another change was recorded first: the caller's version is stale.</summary>
public sealed class DossierVersionConflictException(int currentVersion) : Exception($"The dossier is at version {currentVersion}.")
{
    public int CurrentVersion { get; } = currentVersion;
}

/// <summary>
/// A dossier's partition: the dossier row, its hash-chained history and its outbox. Every change is
/// one ETag-checked batch: the row, the history entry, the domain event and any other messages
/// land together or not at all.
/// </summary>
public sealed class DossierStore(MotCuaTables tables, TimeProvider time, StepNames stepNames)
{
    private const int MaxConflictRetries = 5;
    public static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>Writes a new dossier with its first history entry and outbox messages, after marking the outbox pending.</summary>
    public async Task<(IReadOnlyList<OutboxEntity> Outbox, Azure.ETag? PendingMark)> CreateAsync(DossierEntity dossier, StatusChange created, string actor, IReadOnlyList<OutboxEntity> outbox, CancellationToken cancellationToken)
    {
        var entry = HistoryChain.Append(0, HistoryChain.Genesis, dossier.SubmittedAt, actor, created, causedBy: "submission");
        dossier.HistoryCount = entry.Sequence;
        dossier.LastHistoryHash = entry.Hash;
        List<OutboxEntity> messages = [.. outbox, .. await EventsAsync(dossier, entry, previousHolder: null, cancellationToken)];
        var mark = await tables.Outbox.UpsertEntityAsync(PendingOutbox.For(dossier.PartitionKey), TableUpdateMode.Replace, cancellationToken);
        await tables.Dossiers.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, dossier),
                new TableTransactionAction(TableTransactionActionType.Add, ToEntity(dossier.PartitionKey, entry)),
                .. messages.Select(o => new TableTransactionAction(TableTransactionActionType.Add, o)),
            ], cancellationToken);
        return (messages, mark.Headers.ETag);
    }

    /// <summary>
    /// Applies the change <paramref name="decide"/> picks for the dossier's current state (it may update
    /// the row it is given), or none when it picks null: the work was done already. With
    /// <paramref name="expectedVersion"/>, a concurrent change fails it; without, it reads and decides again.
    /// </summary>
    /// <param name="access">Checked before anything else, so someone who may not see the dossier learns nothing of its state.</param>
    public async Task<ApplyResult> ApplyAsync(string code, int? expectedVersion, Func<DossierEntity, CancellationToken, ValueTask<DossierChange?>> decide,
        string actor, string causedBy, CancellationToken cancellationToken, Action<DossierEntity>? access = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await tables.Dossiers.GetEntityIfExistsAsync<DossierEntity>(code, DossierRows.Dossier, cancellationToken: cancellationToken);
            if (!row.HasValue) return new ApplyResult(ChangeOutcome.NotFound);
            var dossier = row.Value!;
            access?.Invoke(dossier);
            var version = dossier.HistoryCount;
            if (expectedVersion is { } expected && expected != version) throw new DossierVersionConflictException(version);
            var previousHolder = dossier.HolderUnit;
            var previousStep = dossier.Step;
            if (await decide(dossier, cancellationToken) is not { } decision) return new ApplyResult(ChangeOutcome.AlreadyDone, dossier);

            var now = time.GetUtcNow();
            var details = decision.Details is null ? string.Empty : JsonSerializer.Serialize(decision.Details, DetailsJson);
            var entry = HistoryChain.Append(dossier.HistoryCount, dossier.LastHistoryHash, now, actor, decision.Change, causedBy, details);
            dossier.Status = (int)decision.Change.To;
            dossier.UpdatedAt = now;
            dossier.HistoryCount = entry.Sequence;
            dossier.LastHistoryHash = entry.Hash;
            List<OutboxEntity> messages = [.. decision.Outbox ?? [], .. await EventsAsync(dossier, entry, previousHolder, cancellationToken, previousStep)];
            try
            {
                var mark = await tables.Outbox.UpsertEntityAsync(PendingOutbox.For(code), TableUpdateMode.Replace, cancellationToken);
                await tables.Dossiers.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, dossier, dossier.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, ToEntity(code, entry)),
                        .. messages.Select(o => new TableTransactionAction(TableTransactionActionType.Add, o)),
                        .. (decision.Rows ?? []).Select(r => r.ETag == default
                            ? new TableTransactionAction(TableTransactionActionType.Add, r)
                            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, r, r.ETag)),
                    ], cancellationToken);
                return new ApplyResult(ChangeOutcome.Applied, dossier, entry, messages, mark.Headers.ETag);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Someone changed the dossier after we read it: their version is at least one past ours.
                if (expectedVersion is not null) throw new DossierVersionConflictException(version + 1);
                if (attempt >= MaxConflictRetries) throw;
            }
        }
    }

    public async Task<(DossierEntity Dossier, IReadOnlyList<HistoryEntry> History)?> GetAsync(string code, CancellationToken cancellationToken)
    {
        var row = await tables.Dossiers.GetEntityIfExistsAsync<DossierEntity>(code, DossierRows.Dossier, cancellationToken: cancellationToken);
        if (!row.HasValue) return null;
        return (row.Value!, await HistoryAsync(code, cancellationToken));
    }

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string code, CancellationToken cancellationToken)
    {
        var history = new List<HistoryEntry>();
        await foreach (var e in tables.Dossiers.QueryAsync<HistoryEntity>(
            DossierRows.PrefixFilter(code, DossierRows.HistoryPrefix), cancellationToken: cancellationToken))
        {
            history.Add(new HistoryEntry(e.Sequence, e.At, e.Actor, e.Action, (DossierStatus)e.FromStatus, (DossierStatus)e.ToStatus,
                e.Comment, e.CausedBy, e.Details, e.PreviousHash, e.Hash));
        }
        return history;
    }

    /// <summary>The change's domain event, once for each consumer: the work lists and the notifications.</summary>
    private async Task<IEnumerable<OutboxEntity>> EventsAsync(DossierEntity d, HistoryEntry entry, string? previousHolder, CancellationToken cancellationToken, int? previousStep = null)
    {
        var step = d.Step >= 0 ? await stepNames.StepAsync(d.ProcedureCode, d.ProcedureVersion, d.Step, cancellationToken) : null;
        var body = new DossierEvent(d.PartitionKey, entry.Sequence, entry.Action, (int)entry.From, (int)entry.To, entry.Actor, entry.At,
            d.ProcedureCode, d.ProcedureName, d.ReceivingUnit, d.HolderUnit, previousHolder == d.HolderUnit ? null : previousHolder,
            d.Step, step?.Name, step?.Role, d.OwnerId, d.ApplicantName, d.DueAt, d.StepDueAt, previousStep == d.Step ? null : previousStep,
            entry.Comment.Length == 0 ? null : entry.Comment);
        var json = BinaryData.FromObjectAsJson(body, JsonSerializerOptions.Web);
        string[] consumers = [QueueNames.DossierEvents, QueueNames.Notifications];
        return consumers.Select(queue =>
            OutboxEntity.Create(d.PartitionKey, queue, DossierEvent.Subject, json, Telemetry.CurrentTraceParent()));
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
        Details = e.Details,
        PreviousHash = e.PreviousHash,
        Hash = e.Hash,
    };
}

/// <summary>The workflow step a dossier is at, from the procedure version it was received under.</summary>
public sealed class StepNames(Catalog.ProcedureCatalog catalog)
{
    public async Task<MotCua.Domain.Workflow.WorkflowStep?> StepAsync(string procedureCode, int version, int step, CancellationToken cancellationToken)
    {
        var procedure = await catalog.FindVersionAsync(procedureCode, version, cancellationToken);
        return procedure is not null && step >= 0 && step < procedure.Workflow.Count ? procedure.Workflow[step] : null;
    }
}
