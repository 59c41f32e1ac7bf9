using MotCua.Domain.History;

namespace MotCua.Domain.Correspondence;

/// <summary>
/// One line of an incoming document's history, chained as a dossier's is: <see cref="Hash"/> covers
/// every field and the previous entry's hash. <see cref="Details"/> holds what the step carried
/// (a direction with its signature, a return's reason) as canonical JSON.
/// </summary>
public sealed record IncomingHistoryEntry(int Sequence, DateTimeOffset At, string Actor, string Action, IncomingStatus From, IncomingStatus To,
    string Comment, string Details, string PreviousHash, string Hash)
{
    public static IncomingHistoryEntry Append(int lastSequence, string lastHash, DateTimeOffset at, string actor, string action,
        IncomingStatus from, IncomingStatus to, string comment, string details)
    {
        var sequence = lastSequence + 1;
        var previous = lastSequence == 0 ? HistoryChain.Genesis : lastHash;
        return new(sequence, at, actor, action, from, to, comment, details, previous,
            HistoryChain.ComputeHash(sequence, at, actor, action, (int)from, (int)to, comment, string.Empty, details, previous));
    }

    /// <summary>The sequence number of the first entry that does not fit the chain, or null when all do.</summary>
    public static int? FindFirstBreak(IEnumerable<IncomingHistoryEntry> entries)
    {
        var previous = HistoryChain.Genesis;
        var expected = 1;
        foreach (var e in entries.OrderBy(e => e.Sequence))
        {
            var hash = HistoryChain.ComputeHash(e.Sequence, e.At, e.Actor, e.Action, (int)e.From, (int)e.To, e.Comment, string.Empty, e.Details, e.PreviousHash);
            if (e.Sequence != expected || e.PreviousHash != previous || e.Hash != hash) return e.Sequence;
            previous = e.Hash;
            expected++;
        }
        return null;
    }
}
