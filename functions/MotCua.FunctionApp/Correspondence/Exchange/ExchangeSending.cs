using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Exchange.Edxml;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Signing;
using MotCua.FunctionApp.Storage;
using Polly;
using Polly.Retry;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Correspondence.Exchange;

/// <summary>
/// Sends each queued package to the exchange, signed with the agency's seal: written to a local file
/// (attachments streamed from storage), then posted under its package id, retried with backoff; while the
/// exchange cannot be reached the package waits in a later copy of the message, each wait longer, and a
/// refusal by the exchange, or an outage past the last wait, leaves it with the dead letters and the reason. A package that
/// left is recorded, so the same step is sent once; a recipient the exchange does not know is not sent
/// to, and its row says why.
/// </summary>
public sealed class ExchangeOutboundFunction(OutgoingStore outgoing, IncomingStore incoming, ExchangePackages packages, ExchangeDirectory directory,
    ExchangeClient client, SealKey seal, MotCuaTables tables, OutgoingAccess access, IMessageTransport transport, TimeProvider time, ILogger<ExchangeOutboundFunction> logger)
    : IQueueHandler<ExchangeOutboundMessage>
{
    public static readonly FunctionDeclaration Declaration = new("ExchangeOutbound", new QueueTrigger(ExchangeOutboundMessage.Queue));

    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        ShouldHandle = new PredicateBuilder().Handle<ExchangeException>(e => !e.Permanent),
        MaxRetryAttempts = 3,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromSeconds(1),
    }).Build();

    /// <summary>Unreachable this many times (5 s, doubling to 10 min between them: about an hour and a half), the package goes to the dead letters with the reason.</summary>
    public const int MaxUnreachable = 12;

    public async Task HandleAsync(QueueMessage<ExchangeOutboundMessage> message, CancellationToken cancellationToken)
    {
        var m = message.Body;
        try
        {
            if (m.Kind == ExchangeOutboundMessage.StatusKind) await SendStatusAsync(m, cancellationToken);
            else await SendDocumentAsync(m, cancellationToken);
        }
        catch (ExchangeException e) when (!e.Permanent && m.Attempt < MaxUnreachable)
        {
            // The exchange is down: the package waits longer each time, in a later copy of this message, instead of using up this one's deliveries.
            var wait = TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(2, m.Attempt)));
            ExchangeLog.Deferred(logger, m.PackageId, wait, e.Message);
            await ExchangeOutboundMessage.SendAsync(transport, m with { Attempt = m.Attempt + 1 }, cancellationToken, time.GetUtcNow() + wait);
        }
    }

    private async Task SendDocumentAsync(ExchangeOutboundMessage m, CancellationToken cancellationToken)
    {
        if (!OutgoingDocumentId.TryParse(m.DocumentId, out var id) || await outgoing.FindAsync(id.Value, cancellationToken) is not { QcvnId: { } qcvnId } d) return;
        var partition = OutgoingRows.Partition(d.Agency);
        var sentKey = ExchangeRows.Sent(d.Id, m.Business!, m.Version);
        if ((await tables.Dossiers.GetEntityIfExistsAsync<TableEntity>(partition, sentKey, cancellationToken: cancellationToken)).HasValue) return;

        var rows = (await outgoing.RecipientsAsync(d, cancellationToken)).ToDictionary(r => r.Recipient);
        var first = m.Business is "new" or "replace";
        IReadOnlyDictionary<string, ExchangeAgency> known;
        try
        {
            known = await directory.AgenciesAsync(cancellationToken);
        }
        catch (ExchangeException) when (first)
        {
            await NoteAsync(rows, rows.Values.Where(r => !r.Internal).Select(r => new EdxmlOrgan(r.Recipient, r.Name)), NotSentYet, cancellationToken);
            throw;
        }
        List<EdxmlOrgan> to = [];
        foreach (var recipient in OutgoingViewMapping.Recipients(d))
        {
            if (await access.UnitAsync(recipient.Agency, cancellationToken) is { IsDepartment: false }) continue;
            if (known.GetValueOrDefault(recipient.Agency) is { } agency) to.Add(new EdxmlOrgan(agency.Id, agency.Name));
            else await NoteUnknownAsync(d, recipient, rows.GetValueOrDefault(recipient.Agency), cancellationToken);
        }
        if (to.Count == 0) return;
        var business = m.Business switch { "recall" => EdxmlBusinessType.Recall, "update" => EdxmlBusinessType.Update, "replace" => EdxmlBusinessType.Replace, _ => EdxmlBusinessType.New };
        List<EdxmlReplacement> replaces = [];
        if (business == EdxmlBusinessType.Replace && d.Replaces is { } replacedId && OutgoingDocumentId.TryParse(replacedId, out var rid)
            && await outgoing.FindAsync(rid.Value, cancellationToken) is { QcvnId: { } replacedQcvn })
            replaces.Add(new EdxmlReplacement(replacedQcvn, [.. to.Select(t => t.Id)]));
        var (package, open) = await packages.DocumentAsync(d, business, to, replaces, time.GetUtcNow(), cancellationToken);
        // Known before the package leaves: a status may come back before this step ends.
        await tables.Dossiers.UpsertEntityAsync(new TableEntity(partition, ExchangeRows.Issued(qcvnId)) { ["DocumentId"] = d.Id }, TableUpdateMode.Replace, cancellationToken);
        var signer = (await seal.GetAsync(cancellationToken)).Certificate;
        try
        {
            await SendFileAsync("edoc", m.PackageId, output => EdxmlWriter.WriteDocumentAsync(output, package, open, signer, cancellationToken), cancellationToken);
        }
        catch (ExchangeException) when (first)
        {
            await NoteAsync(rows, to, NotSentYet, cancellationToken);
            throw;
        }
        if (first) await NoteAsync(rows, to, null, cancellationToken);

        var sent = new TableEntity(partition, sentKey) { ["To"] = string.Join(',', to.Select(t => t.Id)), ["At"] = time.GetUtcNow() };
        await tables.Dossiers.UpsertEntityAsync(sent, TableUpdateMode.Replace, cancellationToken);
        ExchangeLog.Sent(logger, m.PackageId, string.Join(',', to.Select(t => t.Id)));
    }

    private async Task SendStatusAsync(ExchangeOutboundMessage m, CancellationToken cancellationToken)
    {
        var partition = IncomingRows.Partition(m.Agency);
        var sentKey = ExchangeRows.StatusSent(m.DocumentId, m.StatusCode!, m.Version);
        if ((await tables.Dossiers.GetEntityIfExistsAsync<TableEntity>(partition, sentKey, cancellationToken: cancellationToken)).HasValue) return;
        EdxmlStatusPackage status;
        if (m is { RespondTo: { } respondTo, RespondDocumentId: { } answered })
            status = await packages.AnswerAsync(m.Agency, new EdxmlResponseFor(respondTo, null, null, answered), m.StatusCode!, m.Description, time.GetUtcNow(), cancellationToken);
        else if (IncomingDocumentId.TryParse(m.DocumentId, out var id) && await incoming.FindAsync(id.Value, cancellationToken) is { ViaExchange: true } doc)
            status = await packages.StatusAsync(doc, m.StatusCode!, m.Description, time.GetUtcNow(), cancellationToken);
        else return;
        var signer = (await seal.GetAsync(cancellationToken)).Certificate;
        await SendFileAsync("status", m.PackageId, output =>
        {
            EdxmlWriter.WriteStatus(output, status, signer);
            return Task.CompletedTask;
        }, cancellationToken);
        await tables.Dossiers.UpsertEntityAsync(new TableEntity(partition, sentKey) { ["At"] = time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
        ExchangeLog.Sent(logger, m.PackageId, status.ResponseFor.OrganId);
    }

    /// <summary>Writes the package to a local file once, then posts the file, again from its start on each retry.</summary>
    private async Task SendFileAsync(string messageType, string packageId, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"motcua-edxml-out-{Guid.NewGuid():N}.xml");
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 128 * 1024, FileOptions.Asynchronous))
                await write(file);
            await Retry.ExecuteAsync(async ct =>
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, FileOptions.Asynchronous);
                await client.SendAsync(file, messageType, packageId, ct);
            }, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private const string NotSentYet = "Chưa gửi được qua trục liên thông (trục chưa phản hồi); hệ thống tự gửi lại.";

    /// <summary>Tells the sender, on each recipient's row not yet reached, that sending waits for the exchange; cleared once it left. Best effort.</summary>
    private async Task NoteAsync(Dictionary<string, OutgoingRecipientEntity> rows, IEnumerable<EdxmlOrgan> to, string? note, CancellationToken cancellationToken)
    {
        foreach (var organ in to)
        {
            if (rows.GetValueOrDefault(organ.Id) is not { Status: 0 } row || row.Reason == note || (note is null && row.Reason != NotSentYet)) continue;
            row.Reason = note;
            row.UpdatedAt = time.GetUtcNow();
            try
            {
                await tables.Dossiers.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (Azure.RequestFailedException e) when (e.Status == 412)
            {
                // A status came meanwhile: it says more than the note.
            }
        }
    }

    private async Task NoteUnknownAsync(OutgoingDocumentEntity d, RecipientForm recipient, OutgoingRecipientEntity? row, CancellationToken cancellationToken)
    {
        const string reason = "Cơ quan nhận không có trong danh sách cơ quan của trục liên thông: văn bản không gửi được qua trục.";
        ExchangeLog.UnknownRecipient(logger, d.Id, recipient.Agency);
        row ??= new OutgoingRecipientEntity
        {
            PartitionKey = d.PartitionKey, RowKey = OutgoingRows.Recipient(d.Id, recipient.Agency), DocumentId = d.Id, Recipient = recipient.Agency,
            Name = recipient.Name ?? recipient.Agency,
        };
        if (row.Reason == reason) return;
        row.Reason = reason;
        row.UpdatedAt = time.GetUtcNow();
        await tables.Dossiers.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }
}
