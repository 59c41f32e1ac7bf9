using System.Globalization;
using System.Text.Json.Nodes;

namespace MotCua.FunctionApp.Notifications;

/// <summary>
/// The FCM HTTP v1 message for one notification on one device: a visible notification, and data
/// fields (all strings, as FCM requires) that let the app open the dossier. The contract is
/// <c>mobile-contracts/push-payload.schema.json</c>.
/// </summary>
/// <summary>What a push says: the notification as the inbox holds it.</summary>
public sealed record PushContent(string NotificationId, string Kind, string DossierCode, string Title, string Body, int Status, DateTimeOffset? DueAt)
{
    public static PushContent Of(InboxEntity n) => new(n.RowKey, n.Kind, n.DossierCode, n.Title, n.Body, n.Status, n.DueAt);
}

public static class PushPayload
{
    public const string Type = "dossier-notification";

    public static string DeepLink(string dossierCode) => $"motcua://dossiers/{Uri.EscapeDataString(dossierCode)}";

    public static JsonObject Message(string token, InboxEntity n) => Message(token, PushContent.Of(n));

    public static JsonObject Message(string token, PushContent n) => new()
    {
        ["message"] = new JsonObject
        {
            ["token"] = token,
            ["notification"] = new JsonObject { ["title"] = n.Title, ["body"] = n.Body },
            ["data"] = new JsonObject
            {
                ["type"] = Type,
                ["kind"] = n.Kind,
                ["notificationId"] = n.NotificationId,
                ["dossierCode"] = n.DossierCode,
                ["status"] = n.Status.ToString(CultureInfo.InvariantCulture),
                ["dueAt"] = n.DueAt?.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty,
                ["deepLink"] = DeepLink(n.DossierCode),
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
