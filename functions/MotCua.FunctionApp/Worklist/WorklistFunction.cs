using Azure;
using Azure.Data.Tables;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Worklist;

/// <summary>
/// Keeps the work lists from the dossiers' events. Each row remembers the event sequence it shows,
/// and a dossier that leaves a list leaves a tombstone, so a repeated or late event changes nothing.
/// </summary>
public sealed class WorklistFunction(MotCuaTables tables) : IQueueHandler<DossierEvent>
{
    private static readonly DossierStatus[] Closed = [DossierStatus.RefusedAtIntake, DossierStatus.Withdrawn, DossierStatus.Stopped, DossierStatus.Returned];

    public static readonly FunctionDeclaration Declaration = new("UpdateWorklist", new QueueTrigger(QueueNames.DossierEvents));

    public async Task HandleAsync(QueueMessage<DossierEvent> message, CancellationToken cancellationToken)
    {
        var e = message.Body;
        var row = new WorklistEntity
        {
            RowKey = e.Code, Sequence = e.Sequence, Status = e.To, Step = e.Step, StepName = e.StepName, StepRole = e.StepRole,
            StepDueAt = e.StepDueAt, DueAt = e.DueAt, ProcedureName = e.ProcedureName, ApplicantName = e.ApplicantName,
            ReceivingUnit = e.ReceivingUnit, UpdatedAt = e.At,
        };
        var holder = WorklistEntity.Holder(e.HolderUnit);
        if (Closed.Contains((DossierStatus)e.To)) await RemoveIfOlderAsync(holder, e.Code, e.Sequence, cancellationToken);
        else await UpsertIfNewerAsync(holder, row, cancellationToken);
        if (e.PreviousHolderUnit is { } previous) await RemoveIfOlderAsync(WorklistEntity.Holder(previous), e.Code, e.Sequence, cancellationToken);
        if (e.OwnerId.Length > 0) await UpsertIfNewerAsync(WorklistEntity.Owner(e.OwnerId), row, cancellationToken);
    }

    private async Task UpsertIfNewerAsync(string partition, WorklistEntity row, CancellationToken cancellationToken)
    {
        row.PartitionKey = partition;
        while (true)
        {
            var existing = await tables.Worklist.GetEntityIfExistsAsync<WorklistEntity>(partition, row.RowKey, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue) await tables.Worklist.AddEntityAsync(row, cancellationToken);
                else if (existing.Value!.Sequence < row.Sequence) await tables.Worklist.UpdateEntityAsync(row, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another event for this dossier won the race: read again and compare sequences.
            }
        }
    }

    private Task RemoveIfOlderAsync(string partition, string code, int sequence, CancellationToken cancellationToken) =>
        UpsertIfNewerAsync(partition, new WorklistEntity
        {
            RowKey = code, Sequence = sequence, Removed = true, ProcedureName = string.Empty, ApplicantName = string.Empty, ReceivingUnit = string.Empty,
        }, cancellationToken);
}
