using System.Globalization;
using System.Text.Json.Nodes;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// The FCM HTTP v1 message for one notification on one device: a visible notification, and data
/// fields (all strings, as FCM requires) that let the app open the dossier, incoming or outgoing document. The contract is
/// <c>mobile-contracts/push-payload.schema.json</c>.
/// </summary>
/// <summary>What a push says: the notification as the inbox holds it.</summary>
public sealed record PushContent(string NotificationId, string Kind, string DossierCode, string Title, string Body, int Status, DateTimeOffset? DueAt,
    string? DocumentId = null)
{
    public static PushContent Of(InboxEntity n) => new(n.RowKey, n.Kind, n.DossierCode, n.Title, n.Body, n.Status, n.DueAt, n.DocumentId);
}

public static class PushPayload
{
    public const string Type = "dossier-notification";

    /// <summary>The type of a push about an incoming document.</summary>
    public const string IncomingType = "incoming-notification";

    /// <summary>The type of a push about an outgoing document (its id starts with <c>OUT-</c>).</summary>
    public const string OutgoingType = "outgoing-notification";

    public static string DeepLink(string dossierCode) => $"motcua://dossiers/{Uri.EscapeDataString(dossierCode)}";

    public static string IncomingDeepLink(string documentId) => $"motcua://incoming/{Uri.EscapeDataString(documentId)}";

    public static string OutgoingDeepLink(string documentId) => $"motcua://outgoing/{Uri.EscapeDataString(documentId)}";

    /// <summary>Opens what the notification is about: the incoming or outgoing document when it names one, else the dossier.</summary>
    public static string LinkOf(string dossierCode, string? documentId) =>
        documentId is null ? DeepLink(dossierCode) : IsOutgoing(documentId) ? OutgoingDeepLink(documentId) : IncomingDeepLink(documentId);

    /// <summary>What a push is about, as its <c>type</c> says.</summary>
    public static string TypeOf(string? documentId) => documentId is null ? Type : IsOutgoing(documentId) ? OutgoingType : IncomingType;

    private static bool IsOutgoing(string documentId) => documentId.StartsWith("OUT-", StringComparison.Ordinal);

    public static JsonObject Message(string token, InboxEntity n) => Message(token, PushContent.Of(n));

    public static JsonObject Message(string token, PushContent n) => new()
    {
        ["message"] = new JsonObject
        {
            ["token"] = token,
            ["notification"] = new JsonObject { ["title"] = n.Title, ["body"] = n.Body },
            ["data"] = new JsonObject
            {
                ["type"] = TypeOf(n.DocumentId),
                ["kind"] = n.Kind,
                ["notificationId"] = n.NotificationId,
                ["dossierCode"] = n.DossierCode,
                ["documentId"] = n.DocumentId ?? string.Empty,
                ["status"] = n.Status.ToString(CultureInfo.InvariantCulture),
                ["dueAt"] = n.DueAt?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty,
                ["deepLink"] = LinkOf(n.DossierCode, n.DocumentId),
            },
            ["android"] = new JsonObject { ["priority"] = "high", ["notification"] = new JsonObject { ["channel_id"] = "dossier-status" } },
            ["apns"] = new JsonObject
            {
                ["headers"] = new JsonObject { ["apns-priority"] = "10" },
                ["payload"] = new JsonObject { ["aps"] = new JsonObject { ["sound"] = "default" } },
            },
        },
    };
}
