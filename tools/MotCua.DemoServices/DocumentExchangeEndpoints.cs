using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace MotCua.DemoServices;

/// <summary>
/// A local stand-in for the national document exchange axis over HTTP/JSON (docs/exchange-protocol.md):
/// agencies, sendEdoc, getReceivedEdocList, getEdoc, updateStatus and getSentEdocList.
/// </summary>
public static class DocumentExchangeEndpoints
{
    public const string SystemHeader = "X-Exchange-System";
    public const string MessageTypeHeader = "X-Exchange-MessageType";
    public const string PackageIdHeader = "X-Exchange-PackageId";
    public const string Edoc = "edoc";
    public const string Status = "status";
    private const int MaxJsonBytes = 64 * 1024;

    public static WebApplication MapDocumentExchange(this WebApplication app, string prefix, DocumentExchangeState state)
    {
        var exchange = app.MapGroup(prefix);
        exchange.MapGet("/agencies", (HttpContext context) => Caller(context, state) is null
            ? MissingIdentity()
            : Ok(new JsonObject { ["agencies"] = new JsonArray([.. state.Agencies().Select(Json)]) }));
        exchange.MapPost("/agencies", (HttpRequest request) => RegisterAsync(request.HttpContext, state));
        exchange.MapPost("/edocs", (HttpRequest request) => SendAsync(request.HttpContext, state));
        exchange.MapGet("/edocs/received", (HttpContext context, string? messagetype) => Received(context, state, messagetype));
        exchange.MapGet("/edocs/sent", (HttpContext context, string? messagetype) => Sent(context, state, messagetype));
        exchange.MapGet("/edocs/{deliveryId}", (HttpContext context, string deliveryId) => Fetch(context, state, deliveryId));
        exchange.MapPut("/edocs/{deliveryId}/status", (HttpContext context, string deliveryId) => DecideAsync(context, state, deliveryId));
        return app;
    }

    // With a client CA the certificate's CN names the system and the header is ignored.
    private static string? Caller(HttpContext context, DocumentExchangeState state)
    {
        if (state.ClientCa is not null)
        {
            var certificate = context.Connection.ClientCertificate;
            if (certificate is null || !state.AcceptsClientCertificate(certificate)) return null;
            var name = certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: false);
            return DocumentExchangeState.IsSystemId(name) ? name : null;
        }
        var header = context.Request.Headers[SystemHeader];
        return header.Count == 1 && DocumentExchangeState.IsSystemId(header[0]) ? header[0] : null;
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, DocumentExchangeState state)
    {
        if (Caller(context, state) is not { } system) return MissingIdentity();
        if (await ReadJsonAsync(context) is not { ValueKind: JsonValueKind.Object } body)
            return Fail(new(400, "invalid-body", "Thân yêu cầu phải là JSON {id, name, system}"));
        var agency = new ExchangeAgency(Text(body, "id") ?? "", Text(body, "name") ?? "", Text(body, "system") ?? system);
        return state.Register(agency, system) is { } failure ? Fail(failure) : Ok(new JsonObject { ["agency"] = Json(agency) });
    }

    private static async Task<IResult> SendAsync(HttpContext context, DocumentExchangeState state)
    {
        if (Caller(context, state) is not { } system) return MissingIdentity();
        var request = context.Request;
        var messageType = request.Headers[MessageTypeHeader].ToString();
        if (messageType is not (Edoc or Status))
            return Fail(new(400, "invalid-message-type", $"{MessageTypeHeader} phải là edoc hoặc status"));
        var packageId = request.Headers[PackageIdHeader].ToString();
        if (packageId.Length is < 1 or > 128)
            return Fail(new(400, "invalid-package-id", $"{PackageIdHeader} phải có từ 1 đến 128 ký tự"));
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !(contentType.MediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase) || contentType.MediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase)))
            return Fail(new(415, "unsupported-media-type", "Gói tin edXML phải gửi với Content-Type application/xml"));
        if (state.DocIdOf(system, packageId) is { } earlier) return Ok(new JsonObject { ["docId"] = earlier });
        if (request.ContentLength > state.MaxPackageBytes) return TooLarge(state);

        var upload = state.NewUpload();
        try
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = state.MaxPackageBytes;
            await using (var file = new FileStream(upload, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                try
                {
                    await request.Body.CopyToAsync(file, context.RequestAborted);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return TooLarge(state);
                }
            }
            if (new FileInfo(upload).Length == 0) return Fail(new(400, "empty-package", "Gói tin edXML rỗng"));

            PackageHeader header;
            await using (var file = new FileStream(upload, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
            {
                try
                {
                    header = await ReadHeaderAsync(file, messageType, context.RequestAborted);
                }
                catch (XmlException e)
                {
                    return Fail(new(400, "malformed-package", $"Gói tin edXML không hợp lệ: {e.Message}"));
                }
            }
            if (header.From is null)
                return Fail(new(400, "missing-sender", "Gói tin thiếu MessageHeader/From/OrganId"));
            if (header.Recipients.Count == 0)
                return Fail(new(400, "missing-recipient", messageType == Edoc
                    ? "Gói tin thiếu MessageHeader/To/OrganId"
                    : "Gói tin trạng thái thiếu MessageHeader/ResponseFor/OrganId"));
            var (docId, failure) = state.Store(system, packageId, messageType, header.From, header.Recipients, upload);
            return failure is not null ? Fail(failure) : Ok(new JsonObject { ["docId"] = docId });
        }
        finally
        {
            // Stored packages were moved away; anything left here was refused.
            File.Delete(upload);
        }
    }

    private sealed record PackageHeader(string? From, IReadOnlyList<string> Recipients);

    /// <summary>Reads MessageHeader only (From, To, ResponseFor), never a DTD nor anything outside the file.</summary>
    private static async Task<PackageHeader> ReadHeaderAsync(Stream package, string messageType, CancellationToken cancellationToken)
    {
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
        };
        using var reader = XmlReader.Create(package, settings);
        var recipientSection = messageType == Edoc ? "To" : "ResponseFor";
        string? from = null;
        var recipients = new List<string>();
        while (await reader.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.NodeType != XmlNodeType.Element || !Is(reader, "MessageHeader")) continue;
            if (reader.IsEmptyElement) break;
            var headerDepth = reader.Depth;
            string? section = null;
            var moved = await reader.ReadAsync();
            while (moved && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == headerDepth))
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == headerDepth + 1)
                {
                    section = reader.NamespaceURI == DocumentExchangeState.Namespace ? reader.LocalName : null;
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.Depth == headerDepth + 2 && Is(reader, "OrganId"))
                {
                    var value = (await reader.ReadElementContentAsStringAsync()).Trim();
                    if (section == "From" && from is null && value.Length > 0) from = value;
                    else if (section == recipientSection && value.Length > 0 && !recipients.Contains(value)) recipients.Add(value);
                    moved = !reader.EOF;
                    continue;
                }
                moved = await reader.ReadAsync();
            }
            return new PackageHeader(from, recipients);
        }
        throw new XmlException("Không có phần tử MessageHeader trong không gian tên " + DocumentExchangeState.Namespace);
    }

    private static bool Is(XmlReader reader, string localName) =>
        reader.LocalName == localName && reader.NamespaceURI == DocumentExchangeState.Namespace;

    private static IResult Received(HttpContext context, DocumentExchangeState state, string? messageType)
    {
        if (Caller(context, state) is not { } system) return MissingIdentity();
        if (messageType is not (null or Edoc or Status)) return InvalidMessageTypeQuery();
        return Ok(new JsonObject
        {
            ["knobsticks"] = new JsonArray([.. state.Received(system, messageType).Select(k => (JsonNode)new JsonObject
            {
                ["id"] = k.Id,
                ["docId"] = k.DocId,
                ["from"] = k.From,
                ["to"] = k.To,
                ["messageType"] = k.MessageType,
                ["serviceType"] = "eDoc",
                ["sentAt"] = k.SentAt,
            })]),
        });
    }

    private static IResult Sent(HttpContext context, DocumentExchangeState state, string? messageType)
    {
        if (Caller(context, state) is not { } system) return MissingIdentity();
        if (messageType is not (null or Edoc or Status)) return InvalidMessageTypeQuery();
        return Ok(new JsonObject
        {
            ["edocs"] = new JsonArray([.. state.Sent(system, messageType).Select(d => (JsonNode)new JsonObject
            {
                ["docId"] = d.DocId,
                ["from"] = d.From,
                ["messageType"] = d.MessageType,
                ["sentAt"] = d.SentAt,
                ["deliveries"] = new JsonArray([.. d.Deliveries.Select(Json)]),
            })]),
        });
    }

    private static IResult Fetch(HttpContext context, DocumentExchangeState state, string deliveryId)
    {
        if (Caller(context, state) is not { } system) return MissingIdentity();
        return state.PackageOf(deliveryId, system) is { } path
            ? Results.Stream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true), "application/xml")
            : NotFound(deliveryId);
    }

    private static async Task<IResult> DecideAsync(HttpContext context, DocumentExchangeState state, string deliveryId)
    {
        if (Caller(context, state) is not { } system) return MissingIdentity();
        if (await ReadJsonAsync(context) is not { ValueKind: JsonValueKind.Object } body || Text(body, "status") is not ({ } outcome and (DocumentExchangeState.Done or DocumentExchangeState.Fail)))
            return Fail(new(400, "invalid-status", "Thân yêu cầu phải là JSON {\"status\": \"done\"|\"fail\", \"reason\": \"…\"}"));
        var reason = Text(body, "reason");
        if (reason?.Length > DocumentExchangeState.MaxReasonLength)
            return Fail(new(400, "reason-too-long", $"Lý do dài quá {DocumentExchangeState.MaxReasonLength} ký tự"));
        return state.Decide(deliveryId, system, outcome, reason) is { } delivery
            ? Ok(new JsonObject { ["delivery"] = Json(delivery) })
            : NotFound(deliveryId);
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxJsonBytes) return null;
        var buffer = new byte[MaxJsonBytes + 1];
        var length = await context.Request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, context.RequestAborted);
        if (length > MaxJsonBytes) return null;
        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonNode Json(ExchangeAgency agency) => new JsonObject { ["id"] = agency.Id, ["name"] = agency.Name, ["system"] = agency.System };

    private static JsonNode Json(ExchangeDeliveryView delivery) =>
        new JsonObject { ["id"] = delivery.Id, ["to"] = delivery.To, ["outcome"] = delivery.Outcome, ["reason"] = delivery.Reason };

    private static IResult Ok(JsonObject body)
    {
        var answer = new JsonObject { ["status"] = "OK" };
        foreach (var (name, value) in body.ToList())
        {
            body.Remove(name);
            answer[name] = value;
        }
        return Results.Json(answer);
    }

    private static IResult Fail(ExchangeFailure failure) => Results.Json(
        new JsonObject { ["status"] = "FAIL", ["errorCode"] = failure.Code, ["errorDesc"] = failure.Description }, statusCode: failure.Status);

    private static IResult MissingIdentity() => Fail(new(401, "missing-identity",
        $"Không xác định được hệ thống gọi: cần tiêu đề {SystemHeader} hoặc chứng thư máy khách do CA của trục cấp"));

    private static IResult InvalidMessageTypeQuery() => Fail(new(400, "invalid-message-type", "messagetype phải là edoc hoặc status"));

    private static IResult TooLarge(DocumentExchangeState state) =>
        Fail(new(413, "package-too-large", $"Gói tin vượt quá {state.MaxPackageBytes} byte"));

    private static IResult NotFound(string deliveryId) =>
        Fail(new(404, "not-found", $"Không có văn bản {deliveryId} gửi đến hệ thống này"));
}
