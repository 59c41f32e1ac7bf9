using Azure;
using Azure.Data.Tables;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Exchange.Edxml;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Storage;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Correspondence.Exchange;

/// <summary>
/// Applies a checked package. A new document becomes an incoming document at the addressed agency,
/// once however often it is fetched; a recall, update or replacement changes the document it names and
/// is answered 15, or 16 when it cannot be (never received, already finished, recalled); a status moves
/// the sender's row for that recipient forward, never backwards.
/// </summary>
public sealed class ExchangeApplier(IncomingDelivery delivery, IncomingStore incoming, OutgoingStore outgoing, MotCuaTables tables, IMessageTransport transport,
    TimeProvider time, ILogger<ExchangeApplier> logger)
{
    /// <returns>Null when applied; otherwise why the package is refused.</returns>
    /// <param name="deliveryId">The exchange's delivery: the same package fetched again has the same one, so its answers are sent once.</param>
    public async Task<string?> ApplyDocumentAsync(string agency, string deliveryId, EdxmlDocumentPackage package, IReadOnlyList<EdxmlReceivedFile> files,
        CancellationToken cancellationToken)
    {
        var h = package.Header;
        var answerVersion = BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(deliveryId))) & int.MaxValue;
        // An agency recalls, updates and replaces only its own documents.
        var named = package.Business.Replaces.Select(r => r.DocumentId).Append(package.Business.DocumentId ?? h.DocumentId);
        if (named.FirstOrDefault(id => !QcvnDocumentId.TryParse(id, out var parsed) || parsed.Value.OrganId != h.From.Id) is { } foreign)
            return $"Văn bản {foreign} không phải văn bản của cơ quan gửi {h.From.Id}.";
        switch (package.Business.Type)
        {
            case EdxmlBusinessType.Recall:
                var recalled = await RecallAsync(agency, h.DocumentId, package.Business.Reason ?? "Cơ quan gửi thu hồi văn bản.", cancellationToken);
                await AnswerAsync(agency, h.From.Id, h.DocumentId, recalled, answerVersion, cancellationToken);
                return null;
            case EdxmlBusinessType.Update:
                var updated = await UpdateAsync(agency, package.Business.DocumentId ?? h.DocumentId, h, cancellationToken);
                await AnswerAsync(agency, h.From.Id, package.Business.DocumentId ?? h.DocumentId, updated, answerVersion, cancellationToken);
                return null;
        }
        if (files.Count == 0) return "Văn bản mới không có tệp đính kèm.";
        var inReplyTo = await AnsweredHereAsync(agency, h, cancellationToken);
        var id = await delivery.DeliverAsync(agency, new DeliveredDocument(h.From.Id, h.From.Name, h.CodeNumber, h.CodeNotation, h.PromulgationDate, h.TypeName,
                h.Subject, h.Priority, null, inReplyTo?.Id, [.. files.Select(f => f.Info.Name)], h.DocumentId, ViaExchange: true, h.DueDate),
            (index, _) => Task.FromResult<Stream>(new FileStream(files[index].Path, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, FileOptions.Asynchronous)),
            cancellationToken);
        if (inReplyTo is not null) await LinkReplyAsync(inReplyTo, h.From.Id, id, cancellationToken);
        if (package.Business.Type == EdxmlBusinessType.Replace)
        {
            foreach (var replaced in package.Business.Replaces.Where(r => r.OrganIds.Count == 0 || r.OrganIds.Contains(agency)))
            {
                var done = await RecallAsync(agency, replaced.DocumentId, $"Được thay thế bằng văn bản {h.CodeNumber}/{h.CodeNotation}.", cancellationToken);
                await AnswerAsync(agency, h.From.Id, replaced.DocumentId, done, answerVersion, cancellationToken);
            }
        }
        return null;
    }

    /// <returns>Null when applied; otherwise why the status is refused.</returns>
    public async Task<string?> ApplyStatusAsync(string agency, EdxmlStatusPackage status, CancellationToken cancellationToken)
    {
        if (status.ResponseFor.OrganId != agency) return $"Trạng thái báo cho văn bản của {status.ResponseFor.OrganId}, không phải của {agency}.";
        var d = await SentAsync(agency, status.ResponseFor.DocumentId, cancellationToken);
        if (d is null) return $"Văn bản {status.ResponseFor.DocumentId} không do cơ quan {agency} gửi qua trục.";
        var key = OutgoingRows.Recipient(d.Id, status.From.Id);
        var found = await tables.Dossiers.GetEntityIfExistsAsync<OutgoingRecipientEntity>(d.PartitionKey, key, cancellationToken: cancellationToken);
        if (!found.HasValue) return $"Văn bản {status.ResponseFor.DocumentId} không gửi cho cơ quan {status.From.Id}.";
        var row = found.Value!;
        var code = int.Parse(status.StatusCode, System.Globalization.CultureInfo.InvariantCulture);
        switch (code)
        {
            case >= 1 and <= 6:
                if (row.Status is OutgoingRecallDelivery.Recalled or OutgoingRecallDelivery.NotRecalled || code <= row.Status) return null;
                row.Status = code;
                if (code == (int)IncomingStatus.Returned) row.Reason = status.Description;
                break;
            case OutgoingRecallDelivery.Recalled or OutgoingRecallDelivery.NotRecalled when d.State == OutgoingStatus.Recalled:
                row.Status = code;
                row.Reason = status.Description;
                break;
            case OutgoingRecallDelivery.Recalled or OutgoingRecallDelivery.NotRecalled:
                row.UpdateAnswer = code;
                break;
            default:
                return null;
        }
        row.UpdatedAt = status.Timestamp;
        try
        {
            await tables.Dossiers.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new InvalidOperationException($"The recipient row of {d.Id} changed meanwhile; the next pull applies the status.", e);
        }
        ExchangeLog.StatusApplied(logger, d.Id, status.From.Id, status.StatusCode);
        return null;
    }

    /// <summary>Marks the received document recalled; 15 when it is (or already was), 16 when it never arrived or is finished.</summary>
    private async Task<(int Code, string Description)> RecallAsync(string agency, string qcvnId, string reason, CancellationToken cancellationToken)
    {
        var doc = await ReceivedAsync(agency, qcvnId, cancellationToken);
        if (doc is null || !doc.ViaExchange) return (OutgoingRecallDelivery.NotRecalled, "Cơ quan nhận chưa nhận được văn bản này.");
        if (doc.RecalledAt is not null) return (OutgoingRecallDelivery.Recalled, "Văn bản đã được hủy theo yêu cầu thu hồi.");
        if (doc.State == IncomingStatus.Finished) return (OutgoingRecallDelivery.NotRecalled, "Văn bản đã được giải quyết xong, không thu hồi được.");
        await incoming.ApplyAsync(doc, null, (current, _) =>
        {
            current.RecalledAt ??= time.GetUtcNow();
            current.RecallReason = reason;
            return ValueTask.FromResult(new IncomingChange(current.State, "recalled", $"Cơ quan gửi thu hồi văn bản: {reason}"));
        }, IncomingDelivery.Deliverer, cancellationToken);
        return (OutgoingRecallDelivery.Recalled, "Văn bản đã được hủy theo yêu cầu thu hồi.");
    }

    private async Task<(int Code, string Description)> UpdateAsync(string agency, string qcvnId, EdxmlDocumentHeader h, CancellationToken cancellationToken)
    {
        var doc = await ReceivedAsync(agency, qcvnId, cancellationToken);
        if (doc is null || !doc.ViaExchange) return (OutgoingRecallDelivery.NotRecalled, "Cơ quan nhận chưa nhận được văn bản này.");
        if (doc.RecalledAt is not null) return (OutgoingRecallDelivery.NotRecalled, "Văn bản đã bị thu hồi.");
        var due = h.DueDate is { } day ? Days.Format(day) : doc.SenderDueDate;
        if (doc.Summary != h.Subject || doc.Priority != h.Priority || doc.SenderDueDate != due)
        {
            await incoming.ApplyAsync(doc, null, (current, _) =>
            {
                current.Summary = h.Subject;
                current.Priority = h.Priority;
                current.SenderDueDate = due;
                return ValueTask.FromResult(new IncomingChange(current.State, "updated", $"Cơ quan gửi cập nhật thông tin văn bản: {h.Subject}"));
            }, IncomingDelivery.Deliverer, cancellationToken);
        }
        return (OutgoingRecallDelivery.Recalled, "Đã cập nhật thông tin văn bản.");
    }

    private Task AnswerAsync(string agency, string sender, string qcvnId, (int Code, string Description) answer, int version, CancellationToken cancellationToken) =>
        ExchangeOutboundMessage.SendAsync(transport, new ExchangeOutboundMessage(ExchangeOutboundMessage.StatusKind, agency, ExchangeRows.Hash(qcvnId)[..24], null, version,
            answer.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Description, sender, qcvnId), cancellationToken);

    private async Task<IncomingDocumentEntity?> ReceivedAsync(string agency, string qcvnId, CancellationToken cancellationToken) =>
        await delivery.FindAsync(agency, qcvnId, cancellationToken) is { } id && IncomingDocumentId.TryParse(id, out var parsed)
            ? await incoming.FindAsync(parsed.Value, cancellationToken) : null;

    /// <summary>The outgoing document of <paramref name="agency"/> that a QCVN id names, when it left through the exchange.</summary>
    private async Task<OutgoingDocumentEntity?> SentAsync(string agency, string qcvnId, CancellationToken cancellationToken)
    {
        var row = await tables.Dossiers.GetEntityIfExistsAsync<TableEntity>(OutgoingRows.Partition(agency), ExchangeRows.Issued(qcvnId), cancellationToken: cancellationToken);
        return row.HasValue && OutgoingDocumentId.TryParse(row.Value!.GetString("DocumentId"), out var id) ? await outgoing.FindAsync(id.Value, cancellationToken) : null;
    }

    /// <summary>Our document this one answers, when it names one of ours that went to its sender.</summary>
    private async Task<OutgoingDocumentEntity?> AnsweredHereAsync(string agency, EdxmlDocumentHeader h, CancellationToken cancellationToken)
    {
        foreach (var answered in h.ResponseFor.Where(r => r.OrganId == agency))
            if (await SentAsync(agency, answered.DocumentId, cancellationToken) is { } d) return d;
        return null;
    }

    private async Task LinkReplyAsync(OutgoingDocumentEntity original, string replier, string replyIncomingId, CancellationToken cancellationToken)
    {
        var row = await tables.Dossiers.GetEntityIfExistsAsync<OutgoingRecipientEntity>(original.PartitionKey, OutgoingRows.Recipient(original.Id, replier), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.ReplyIncomingId == replyIncomingId) return;
        row.Value.ReplyIncomingId = replyIncomingId;
        await tables.Dossiers.UpdateEntityAsync(row.Value, row.Value.ETag, TableUpdateMode.Replace, cancellationToken);
    }
}
