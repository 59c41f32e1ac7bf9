using System.Text.Json;
using MotCua.Domain.History;
using MotCua.Domain.Workflow;
using MotCua.FunctionApp.Approvals;
using MotCua.FunctionApp.Problems;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>
/// Says why an action's version has passed, from the history recorded since: the same request was
/// applied already (the same signature, or the same person taking the same action), someone else
/// changed the dossier, or the system or the caller did something else meanwhile.
/// </summary>
public static class ActionConflicts
{
    public static ProblemException Explain(int requestVersion, int current, IReadOnlyList<HistoryEntry> history, string actor, DossierAction action,
        ApprovalSignature? signature)
    {
        // A batch that lost a race reports the version it expected to follow; the history knows the real one.
        current = history.Count == 0 ? current : Math.Max(current, history.Max(h => h.Sequence));
        var since = history.Where(h => h.Sequence > requestVersion).OrderBy(h => h.Sequence).ToList();
        var same = since.FirstOrDefault(h => h.Actor == actor && h.Action == action.Slug()
            && (signature is null || SignatureOf(h) == signature.Value));
        if (same is not null) return ActionAlreadyRecorded(action, requestVersion, same, current, signed: signature is not null);
        return DossierChangedSince(current, since.LastOrDefault(), bySomeoneElse: since.Any(h => h.Actor != actor && h.Actor != DocumentReceivedFunction.Actor));
    }

    /// <summary>The signature value a chairman's decision was recorded with (the history entry's details), if any.</summary>
    private static string? SignatureOf(HistoryEntry h)
    {
        if (h.Details.Length == 0) return null;
        using var details = JsonDocument.Parse(h.Details);
        return details.RootElement.TryGetProperty("signature", out var s) && s.ValueKind == JsonValueKind.Object
            && s.TryGetProperty("signature", out var value) ? value.GetString() : null;
    }
}
