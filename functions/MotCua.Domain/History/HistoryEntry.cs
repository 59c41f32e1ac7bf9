using MotCua.Domain.Dossiers;

namespace MotCua.Domain.History;

/// <summary>
/// One line of a dossier's tracking sheet. <see cref="Hash"/> covers every other field and the
/// previous entry's hash, so changing or removing a stored entry breaks the chain. <see cref="Details"/>
/// holds what the action carried (reasons, step timings, an approver's signature) as canonical JSON.
/// </summary>
public sealed record HistoryEntry(
    int Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    DossierStatus From,
    DossierStatus To,
    string Comment,
    string CausedBy,
    string Details,
    string PreviousHash,
    string Hash);
