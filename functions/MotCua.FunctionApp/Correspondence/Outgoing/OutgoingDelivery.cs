using Azure;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Issuance;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>
/// Sends an issued document to each recipient agency of this deployment as an incoming document,
/// once per recipient however often the event comes; a recipient outside waits for the exchange.
/// Each recipient's row records where the document stands there. A reply names, on the recipient's
/// side, the document of theirs it answers, and that document's recipient row learns of the reply.
/// </summary>
public sealed class OutgoingDelivery(OutgoingStore store, OutgoingAccess access, IncomingDelivery delivery, IncomingStore incoming, ResultFiles files,
    MotCuaTables tables, TimeProvider time, ILogger<OutgoingDelivery> logger) : IOutgoingEventHandler
{
    private const int RecipientsAtOnce = 4;

    public async Task HandleAsync(OutgoingEvent change, CancellationToken cancellationToken)
    {
        if (change.Action != "issued" || !OutgoingDocumentId.TryParse(change.Id, out var id)) return;
        var d = await store.FindAsync(id.Value, cancellationToken);
        if (d is { State: OutgoingStatus.Issued }) await DeliverAsync(d, cancellationToken);
    }

    /// <summary>
    /// Delivers an issued document to each recipient not yet reached, a few at a time. The issued file is read
    /// once, into a local copy every recipient's upload reads; what fails is delivered when the event comes again.
    /// </summary>
    public async Task DeliverAsync(OutgoingDocumentEntity d, CancellationToken cancellationToken)
    {
        var sender = await access.UnitAsync(d.Agency, cancellationToken);
        var answered = await AnsweredAsync(d, cancellationToken);
        var rows = (await store.RecipientsAsync(d, cancellationToken)).ToDictionary(r => r.Recipient);
        var pending = OutgoingViewMapping.Recipients(d).Where(r => rows.GetValueOrDefault(r.Agency)?.IncomingId is null && rows.GetValueOrDefault(r.Agency)?.Internal != false).ToList();
        if (pending.Count == 0) return;
        // The issued files (the document, then its attachments), each read once into a local copy every recipient's upload reads.
        var issued = new List<(string FileName, string Blob)> { (d.FileName ?? "van-ban.pdf", d.IssuedBlob!) };
        issued.AddRange(OutgoingViewMapping.Attachments(d.IssuedAttachments).Select(a => (a.FileName, a.Blob)));
        var local = issued.Select(_ => Path.Combine(Path.GetTempPath(), $"motcua-{Guid.NewGuid():N}.pdf")).ToList();
        using var copyOnce = new SemaphoreSlim(1, 1);
        try
        {
            var copied = false;
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = RecipientsAtOnce, CancellationToken = cancellationToken }, async (recipient, ct) =>
            {
                var row = rows.GetValueOrDefault(recipient.Agency) ?? new OutgoingRecipientEntity
                {
                    PartitionKey = d.PartitionKey, RowKey = OutgoingRows.Recipient(d.Id, recipient.Agency), DocumentId = d.Id, Recipient = recipient.Agency,
                };
                var unit = await access.UnitAsync(recipient.Agency, ct);
                row.Name = unit?.Name ?? recipient.Name ?? recipient.Agency;
                row.Internal = unit is { IsDepartment: false };
                if (!row.Internal)
                {
                    if (row.ETag == default) await Save(row, ct);
                    return;
                }
                await copyOnce.WaitAsync(ct);
                try
                {
                    for (var i = 0; !copied && i < issued.Count; i++)
                    {
                        await using var source = await files.OpenReadAsync(issued[i].Blob, ct);
                        await using var target = new FileStream(local[i], FileMode.Create, FileAccess.Write, FileShare.Read, 128 * 1024, FileOptions.Asynchronous);
                        await source.CopyToAsync(target, 128 * 1024, ct);
                    }
                    copied = true;
                }
                finally
                {
                    copyOnce.Release();
                }
                var inReplyTo = answered?.SenderId == recipient.Agency ? answered.OriginOutgoingId : null;
                var incomingId = await delivery.DeliverAsync(recipient.Agency, new DeliveredDocument(d.Agency, sender?.Name ?? d.Agency,
                    DocumentNumbering.Number(d.Number!.Value), d.Notation!, Days.Parse(d.IssueDate)!.Value, d.DocumentType, d.Summary, d.Priority, d.Id, inReplyTo,
                    [.. issued.Select(f => f.FileName)]),
                    (index, _) => Task.FromResult<Stream>(new FileStream(local[index], FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, FileOptions.Asynchronous)), ct);
                row.IncomingId = incomingId;
                if (row.Status == 0) row.Status = (int)IncomingStatus.Arrived;
                row.UpdatedAt ??= time.GetUtcNow();
                await Save(row, ct);
                OutgoingLog.Delivered(logger, d.Id, recipient.Agency, incomingId);
                if (inReplyTo is not null) await LinkReplyAsync(inReplyTo, d.Agency, incomingId, ct);
            });
        }
        finally
        {
            foreach (var file in local) File.Delete(file);
        }
    }

    /// <summary>The incoming document this one answers, when it came from an agency of this deployment.</summary>
    private async Task<IncomingDocumentEntity?> AnsweredAsync(OutgoingDocumentEntity d, CancellationToken cancellationToken) =>
        d.AnswersIncomingId is { } answers && IncomingDocumentId.TryParse(answers, out var answersId) && await incoming.FindAsync(answersId.Value, cancellationToken) is
            { OriginOutgoingId: not null } answered ? answered : null;

    /// <summary>The original document's row for this recipient learns of the reply it received.</summary>
    private async Task LinkReplyAsync(string originalId, string replier, string replyIncomingId, CancellationToken cancellationToken)
    {
        if (!OutgoingDocumentId.TryParse(originalId, out var original)) return;
        var key = OutgoingRows.Recipient(originalId, replier);
        var row = await tables.Dossiers.GetEntityIfExistsAsync<OutgoingRecipientEntity>(OutgoingRows.Partition(original.Value.Agency), key, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.ReplyIncomingId == replyIncomingId) return;
        row.Value.ReplyIncomingId = replyIncomingId;
        await tables.Dossiers.UpdateEntityAsync(row.Value, row.Value.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
    }

    private async Task Save(OutgoingRecipientEntity row, CancellationToken cancellationToken)
    {
        // A status report may have written the row meanwhile: the retry of the event reads it again.
        if (row.ETag == default) await tables.Dossiers.AddEntityAsync(row, cancellationToken);
        else await tables.Dossiers.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
    }
}

/// <summary>
/// A recall (code 13) reaches each recipient of this deployment: its incoming document is marked
/// recalled and can no longer be handled, and the sender's row answers 15; a recipient that never
/// received it answers 16. Recipients outside wait for the exchange.
/// </summary>
public sealed class OutgoingRecallDelivery(OutgoingStore store, IncomingStore incoming, MotCuaTables tables, TimeProvider time) : IOutgoingEventHandler
{
    public const int Recalled = 15;
    public const int NotRecalled = 16;

    public async Task HandleAsync(OutgoingEvent change, CancellationToken cancellationToken)
    {
        if (change.Action != "recalled" || !OutgoingDocumentId.TryParse(change.Id, out var id)) return;
        var d = await store.FindAsync(id.Value, cancellationToken);
        if (d is not { State: OutgoingStatus.Recalled }) return;
        foreach (var row in await store.RecipientsAsync(d, cancellationToken))
        {
            if (!row.Internal || row.Status is Recalled or NotRecalled) continue;
            if (row.IncomingId is { } incomingId && IncomingDocumentId.TryParse(incomingId, out var target) && await incoming.FindAsync(target.Value, cancellationToken) is { } doc)
            {
                if (doc.RecalledAt is null)
                {
                    await incoming.ApplyAsync(doc, null, (current, _) =>
                    {
                        current.RecalledAt ??= time.GetUtcNow();
                        current.RecallReason = d.RecallReason;
                        return ValueTask.FromResult(new IncomingChange(current.State, "recalled", $"Cơ quan gửi thu hồi văn bản: {d.RecallReason}"));
                    }, IncomingDelivery.Deliverer, cancellationToken);
                }
                row.Status = Recalled;
                row.Reason = d.RecallReason;
            }
            else
            {
                row.Status = NotRecalled;
                row.Reason = "Cơ quan nhận chưa nhận được văn bản.";
            }
            row.UpdatedAt = time.GetUtcNow();
            await tables.Dossiers.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
        }
    }
}

/// <summary>
/// The recipient's own steps feed the sender's view: each event of an incoming document sent from
/// this deployment moves the sender's recipient row to its status, never backwards and never from
/// a stale event.
/// </summary>
public sealed class OutgoingStatusFeedback(IncomingStore incoming, MotCuaTables tables) : IIncomingEventHandler
{
    public async Task HandleAsync(IncomingEvent change, string messageId, CancellationToken cancellationToken)
    {
        if (!IncomingDocumentId.TryParse(change.Id, out var id)) return;
        var doc = await incoming.FindAsync(id.Value, cancellationToken);
        if (doc?.OriginOutgoingId is not { } origin || !OutgoingDocumentId.TryParse(origin, out var outgoingId)) return;
        var found = await tables.Dossiers.GetEntityIfExistsAsync<OutgoingRecipientEntity>(OutgoingRows.Partition(outgoingId.Value.Agency),
            OutgoingRows.Recipient(origin, change.Agency), cancellationToken: cancellationToken);
        // The delivery writes the row after the document arrives: until then, the event comes again.
        var row = found.HasValue ? found.Value! : throw new InvalidOperationException($"The recipient row of {origin} for {change.Agency} is not written yet.");
        if (row.Status is OutgoingRecallDelivery.Recalled or OutgoingRecallDelivery.NotRecalled || change.Version <= row.ReportedVersion || change.To < row.Status) return;
        row.Status = change.To;
        row.ReportedVersion = change.Version;
        row.UpdatedAt = change.At;
        row.IncomingId ??= change.Id;
        if (change.To == (int)IncomingStatus.Returned) row.Reason = doc.ReturnReason;
        try
        {
            await tables.Dossiers.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new InvalidOperationException($"The recipient row of {origin} changed meanwhile; the event comes again.", e);
        }
    }
}

/// <summary>
/// An update of an issued document's information reaches each recipient of this deployment: its
/// incoming document takes the new summary and urgency, and the sender's row answers 15; one that never
/// received it, or was recalled, answers 16. Once per update, however often the event comes.
/// </summary>
public sealed class OutgoingUpdateDelivery(OutgoingStore store, IncomingStore incoming, MotCuaTables tables) : IOutgoingEventHandler
{
    public async Task HandleAsync(OutgoingEvent change, CancellationToken cancellationToken)
    {
        if (change.Action != "updated" || !OutgoingDocumentId.TryParse(change.Id, out var id)) return;
        var d = await store.FindAsync(id.Value, cancellationToken);
        if (d is not { State: OutgoingStatus.Issued }) return;
        foreach (var row in await store.RecipientsAsync(d, cancellationToken))
        {
            if (!row.Internal || row.UpdateVersion >= change.Version) continue;
            var applied = false;
            if (row.IncomingId is { } incomingId && IncomingDocumentId.TryParse(incomingId, out var target)
                && await incoming.FindAsync(target.Value, cancellationToken) is { RecalledAt: null } doc)
            {
                if (doc.Summary != d.Summary || doc.Priority != d.Priority)
                {
                    await incoming.ApplyAsync(doc, null, (current, _) =>
                    {
                        current.Summary = d.Summary;
                        current.Priority = d.Priority;
                        return ValueTask.FromResult(new IncomingChange(current.State, "updated", $"Cơ quan gửi cập nhật thông tin văn bản: {d.Summary}"));
                    }, IncomingDelivery.Deliverer, cancellationToken);
                }
                applied = true;
            }
            row.UpdateAnswer = applied ? 15 : 16;
            row.UpdateVersion = change.Version;
            await tables.Dossiers.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
        }
    }
}
