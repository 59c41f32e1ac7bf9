using System.Text.Json;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Hosting;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Correspondence.Exchange;

/// <summary>
/// A package to send through the exchange: an outgoing document's business (new, recall, update,
/// replace) to its recipients outside this deployment, or a status of a document received through the
/// exchange. Queued by the step's event handler, so a crash between the step and the sending loses nothing.
/// </summary>
/// <remarks>An answer to a recall, update or replacement names the document it answers (<see cref="RespondTo"/>, <see cref="RespondDocumentId"/>): there may be none here.</remarks>
/// <remarks><see cref="Attempt"/> counts the times the exchange could not be reached: each one waits longer, so an outage does not use up the queue's deliveries.</remarks>
public sealed record ExchangeOutboundMessage(string Kind, string Agency, string DocumentId, string? Business, int Version, string? StatusCode, string? Description,
    string? RespondTo = null, string? RespondDocumentId = null, int Attempt = 0)
{
    public const string Queue = "exchange-outbound";
    public const string Subject = "exchange-outbound";
    public const string DocumentKind = "document";
    public const string StatusKind = "status";

    /// <summary>The id the exchange knows the package by: the same for every attempt, so it is one package however often it is sent.</summary>
    public string PackageId => Kind == StatusKind ? $"{DocumentId}.status.{StatusCode}.{Version}" : $"{DocumentId}.{Business}.{Version}";

    public static Task SendAsync(IMessageTransport transport, ExchangeOutboundMessage message, CancellationToken cancellationToken, DateTimeOffset? notBefore = null) =>
        transport.SendAsync(Queue, new OutgoingMessage($"{message.PackageId}-{Guid.NewGuid():N}", Subject,
            BinaryData.FromObjectAsJson(message, JsonSerializerOptions.Web), CorrelationId: message.DocumentId, ScheduledEnqueueTime: notBefore), cancellationToken);
}

/// <summary>Issuing, recalling, updating or replacing a document with recipients outside this deployment queues its package.</summary>
public sealed class ExchangeDocumentQueue(OutgoingStore store, OutgoingAccess access, IMessageTransport transport, IOptions<ExchangeOptions> options) : IOutgoingEventHandler
{
    public async Task HandleAsync(OutgoingEvent change, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return;
        var business = change.Action switch { "issued" => "new", "recalled" => "recall", "updated" => "update", _ => null };
        if (business is null || !MotCua.Domain.Correspondence.OutgoingDocumentId.TryParse(change.Id, out var id)) return;
        var d = await store.FindAsync(id.Value, cancellationToken);
        if (d is null || d.Secret) return;
        var outside = false;
        foreach (var recipient in OutgoingViewMapping.Recipients(d))
            outside |= await access.UnitAsync(recipient.Agency, cancellationToken) is not { IsDepartment: false };
        if (!outside) return;
        if (business == "new" && d.Replaces is not null) business = "replace";
        await ExchangeOutboundMessage.SendAsync(transport, new ExchangeOutboundMessage(ExchangeOutboundMessage.DocumentKind, d.Agency, d.Id, business, change.Version, null, null),
            cancellationToken);
    }
}

/// <summary>
/// Each step of a document received through the exchange goes back to its sender as a status: 01 when
/// it arrives, then 03 registered, 04 directed, 05 in progress, 06 finished, or 02 returned with the reason.
/// </summary>
public sealed class ExchangeStatusQueue(IncomingStore incoming, IMessageTransport transport, IOptions<ExchangeOptions> options) : IIncomingEventHandler
{
    public async Task HandleAsync(IncomingEvent change, string messageId, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return;
        if (change.To is < 1 or > 6 || (change.To == change.From && change.Action != "arrived")) return;
        if (!MotCua.Domain.Correspondence.IncomingDocumentId.TryParse(change.Id, out var id)) return;
        var doc = await incoming.FindAsync(id.Value, cancellationToken);
        if (doc is not { ViaExchange: true }) return;
        var description = change.To switch
        {
            1 => "Văn thư: đã nhận văn bản điện tử.",
            2 => $"Văn thư: từ chối tiếp nhận văn bản điện tử. Lý do: {doc.ReturnReason}",
            3 => "Văn thư: đã đăng ký vào sổ văn bản đến.",
            4 => "Lãnh đạo đã phân công xử lý.",
            5 => "Văn bản đang được xử lý.",
            _ => "Đã hoàn thành xử lý văn bản.",
        };
        await ExchangeOutboundMessage.SendAsync(transport, new ExchangeOutboundMessage(ExchangeOutboundMessage.StatusKind, doc.Agency, doc.Id, null, 0,
            change.To.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), description), cancellationToken);
    }
}
