using MotCua.Domain.Correspondence;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>
/// A document issued to replace another recalls the one it replaces (code 13 to each recipient, with a
/// reason naming the replacement), once, however often its issued event comes.
/// </summary>
public sealed class OutgoingReplacement(OutgoingStore store, TimeProvider time) : IOutgoingEventHandler
{
    public async Task HandleAsync(OutgoingEvent change, CancellationToken cancellationToken)
    {
        if (change.Action != "issued" || !OutgoingDocumentId.TryParse(change.Id, out var id)) return;
        var d = await store.FindAsync(id.Value, cancellationToken);
        if (d is not { State: OutgoingStatus.Issued, Replaces: { } replaces } || !OutgoingDocumentId.TryParse(replaces, out var replacedId)) return;
        var replaced = await store.FindAsync(replacedId.Value, cancellationToken);
        if (replaced is not { State: OutgoingStatus.Issued }) return;
        // A concurrent change fails this; the event's next delivery finds the document recalled, or recalls it then.
        await store.ApplyAsync(replaced, replaced.Version, (row, _) =>
        {
            row.RecalledAt = time.GetUtcNow();
            row.RecallReason = $"Được thay thế bằng văn bản số {d.Symbol}.";
            row.ReplacedBy = d.Id;
            return ValueTask.FromResult(new OutgoingChange(OutgoingStatus.Recalled, "recalled", $"Thu hồi văn bản {row.Symbol}: {row.RecallReason}",
                new { code = "13", reason = row.RecallReason, replacedBy = d.Id }));
        }, "system", cancellationToken);
    }
}
