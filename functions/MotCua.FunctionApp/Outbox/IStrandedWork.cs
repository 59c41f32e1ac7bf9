namespace MotCua.FunctionApp.Outbox;

/// <summary>
/// Work a crash can strand before any outbox row was written for it, so no row points the sweep at
/// it. The sweep's periodic scan of every dossier asks each of these to write what is missing.
/// </summary>
public interface IStrandedWork
{
    /// <summary>Writes the dossier changes (with their outbox rows) that work older than <paramref name="olderThan"/> never got; returns the dossiers changed.</summary>
    Task<IReadOnlyCollection<string>> RepairAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}
