using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MotCua.Domain.Dossiers;

namespace MotCua.Domain.History;

public static class HistoryChain
{
    /// <summary>The hash that precedes a dossier's first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The entry that follows entry <paramref name="lastSequence"/> (0 for none) whose hash is <paramref name="lastHash"/>.</summary>
    public static HistoryEntry Append(int lastSequence, string lastHash, DateTimeOffset at, string actor, StatusChange change, string causedBy, string details = "")
    {
        var sequence = lastSequence + 1;
        var previous = lastSequence == 0 ? Genesis : lastHash;
        var hash = ComputeHash(sequence, at, actor, change.Action, change.From, change.To, change.Comment, causedBy, details, previous);
        return new HistoryEntry(sequence, at, actor, change.Action, change.From, change.To, change.Comment, causedBy, details, previous, hash);
    }

    /// <summary>The sequence number of the first entry that does not fit the chain, or null when all do.</summary>
    public static int? FindFirstBreak(IEnumerable<HistoryEntry> entries)
    {
        var previous = Genesis;
        var expected = 1;
        foreach (var e in entries.OrderBy(e => e.Sequence))
        {
            var hash = ComputeHash(e.Sequence, e.At, e.Actor, e.Action, e.From, e.To, e.Comment, e.CausedBy, e.Details, e.PreviousHash);
            if (e.Sequence != expected || e.PreviousHash != previous || e.Hash != hash) return e.Sequence;
            previous = e.Hash;
            expected++;
        }
        return null;
    }

    private static string ComputeHash(int sequence, DateTimeOffset at, string actor, string action,
        DossierStatus from, DossierStatus to, string comment, string causedBy, string details, string previous) =>
        ComputeHash(sequence, at, actor, action, (int)from, (int)to, comment, causedBy, details, previous);

    /// <summary>
    /// The hash of one entry of any chained history (dossiers, incoming documents): every field,
    /// statuses as their numbers, and the previous entry's hash.
    /// </summary>
    public static string ComputeHash(int sequence, DateTimeOffset at, string actor, string action,
        int from, int to, string comment, string causedBy, string details, string previous)
    {
        // Length-prefixed fields: no choice of field contents can make two entries serialise alike.
        var builder = new StringBuilder();
        foreach (var field in new[]
        {
            sequence.ToString(CultureInfo.InvariantCulture),
            at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            actor, action, from.ToString(CultureInfo.InvariantCulture),
            to.ToString(CultureInfo.InvariantCulture), comment, causedBy, details, previous,
        })
        {
            builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append(';');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
