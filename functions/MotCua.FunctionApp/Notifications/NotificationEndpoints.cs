using MotCua.FunctionApp.Dossiers;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Hosting;
using static MotCua.FunctionApp.Problems.Problems;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Notifications;

public sealed record UnreadCount(int Unread);

public sealed record MarkedRead(int Marked);

public static class NotificationEndpoints
{
    private static readonly string[] Platforms = ["android", "ios", "web"];

    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddHttpClient();
        services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReminderOptions>().BindConfiguration(ReminderOptions.Section);
        services.AddSingleton<FcmSender>();
        services.AddSingleton<MemberDirectory>();
        services.AddSingleton<DeviceRegistry>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<PushDelivery>();
        services.AddSingleton<Notifier>();
        services.AddQueueFunction<DossierEvent, NotifyFunction>(NotifyFunction.Declaration);
        services.AddQueueFunction<PushRequest, PushDeliveryFunction>(PushDeliveryFunction.Declaration);
        services.AddQueueFunction<DeadlineReminder, DeadlineReminderFunction>(DeadlineReminderFunction.Declaration);
        return services;
    }

    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapFunction("RegisterDevice", new HttpTrigger("PUT", "me/devices"), RegisterAsync).Accepts<DeviceRegistration>(isOptional: true, "application/json")
            .ProducesProblems([.. ProblemTypes.OptionalJsonBody, ProblemTypes.InvalidFields])
            .WithSummary("Register this phone for push")
            .WithDescription("Register or refresh this phone's FCM token (platform android, ios or web; app version; locale vi or en). A token registered by another user leaves them.");
        app.MapFunction("ListDevices", new HttpTrigger("GET", "me/devices"), ListDevicesAsync).WithSummary("List the signed-in user's phones")
            .WithDescription("The signed-in user's phones.");
        app.MapFunction("RemoveDevice", new HttpTrigger("DELETE", "me/devices/{deviceId}"), RemoveDeviceAsync).ProducesProblems(ProblemTypes.DeviceNotFound).WithSummary("Stop pushing to a phone")
            .WithDescription("Removes the phone's registration: no more pushes reach it. The inbox keeps its notifications.");
        app.MapFunction("ListNotifications", new HttpTrigger("GET", "me/notifications"), ListAsync).ProducesProblems(ProblemTypes.MalformedRequest, ProblemTypes.InvalidFields)
            .WithSummary("Read the inbox")
            .WithDescription("The inbox, newest first, a page at a time (pass 'next' from the previous page); unread=true for unread only.");
        app.MapFunction("CountUnread", new HttpTrigger("GET", "me/notifications/unread-count"), UnreadAsync).WithSummary("Count unread notifications")
            .WithDescription("How many notifications are unread.");
        app.MapFunction("MarkRead", new HttpTrigger("POST", "me/notifications/{id}/read"), MarkReadAsync).ProducesProblems(ProblemTypes.NotificationNotFound).WithSummary("Mark a notification read")
            .WithDescription("Mark one notification read.");
        app.MapFunction("MarkAllRead", new HttpTrigger("POST", "me/notifications/read-all"), MarkAllReadAsync).WithSummary("Mark every notification read")
            .WithDescription("Mark every notification read.");
        return app;
    }

    private static async Task<Ok<DeviceView>> RegisterAsync(HttpRequest request, ClaimsPrincipal principal, DeviceRegistry devices, CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadAsync<DeviceRegistration>(request, JsonBody.SmallFormBytes, cancellationToken);
        var errors = new List<FieldError>();
        var token = form?.Token;
        if (SafeText.Check("token", token) is { } unsafeToken) errors.Add(unsafeToken);
        else if (token is null || token.Length is < 20 or > 4096 || token.Any(char.IsWhiteSpace))
            errors.Add(new("token", "Mã FCM bắt buộc, 20–4096 ký tự, không có khoảng trắng.", "The FCM token is required: 20–4096 characters, no spaces."));
        var platform = form?.Platform?.ToLowerInvariant();
        if (platform is null || !Platforms.Contains(platform)) errors.Add(new("platform", "Nền tảng là android, ios hoặc web.", "The platform is android, ios or web."));
        var locale = form?.Locale ?? "vi";
        if (locale is not ("vi" or "en" or "vi-VN" or "en-US" or "en-GB")) errors.Add(new("locale", "Ngôn ngữ là vi hoặc en.", "The locale is vi or en."));
        var appVersion = form?.AppVersion ?? string.Empty;
        if (SafeText.Check("appVersion", appVersion) is { } unsafeVersion) errors.Add(unsafeVersion);
        else if (appVersion.Length > 32) errors.Add(new("appVersion", "Phiên bản tối đa 32 ký tự.", "The app version has at most 32 characters."));
        if (errors.Count > 0) throw InvalidFields(errors);
        var user = CurrentUser.From(principal);
        return TypedResults.Ok(await devices.RegisterAsync(user.Id, token!, platform!, appVersion, locale[..2], cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<DeviceView>>> ListDevicesAsync(ClaimsPrincipal principal, DeviceRegistry devices, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<DeviceView>>((await devices.OfAsync(CurrentUser.From(principal).Id, cancellationToken)).Select(DeviceRegistry.View).ToList());

    private static async Task<NoContent> RemoveDeviceAsync(string deviceId, ClaimsPrincipal principal, DeviceRegistry devices, CancellationToken cancellationToken)
    {
        if (!IsKey(deviceId) || !await devices.RemoveAsync(CurrentUser.From(principal).Id, deviceId, cancellationToken))
            throw new Problems.ProblemException(404, "device-not-found", "Không có thiết bị này", "No such device", $"Không có thiết bị '{deviceId}'.", $"There is no device '{deviceId}'.");
        return TypedResults.NoContent();
    }

    private static async Task<Ok<InboxPage>> ListAsync([FromQuery] int? pageSize, [FromQuery] string? next, [FromQuery] bool? unread, ClaimsPrincipal principal,
        InboxStore inbox, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > 100) throw BadRequest("pageSize", "Mỗi trang từ 1 đến 100 thông báo.", "A page holds 1 to 100 notifications.");
        if (next is { Length: > 1024 }) throw BadRequest("next", "Con trỏ trang không hợp lệ.", "The page cursor is not valid.");
        try
        {
            return TypedResults.Ok(await inbox.ListAsync(CurrentUser.From(principal).Id, pageSize ?? 20, next, unread == true, cancellationToken));
        }
        catch (Azure.RequestFailedException e) when (e.Status == 400)
        {
            throw BadRequest("next", "Con trỏ trang không hợp lệ.", "The page cursor is not valid.");
        }
    }

    private static async Task<Ok<UnreadCount>> UnreadAsync(ClaimsPrincipal principal, InboxStore inbox, CancellationToken cancellationToken) =>
        TypedResults.Ok(new UnreadCount(await inbox.UnreadCountAsync(CurrentUser.From(principal).Id, cancellationToken)));

    private static async Task<NoContent> MarkReadAsync(string id, ClaimsPrincipal principal, InboxStore inbox, CancellationToken cancellationToken)
    {
        if (!IsKey(id) || !await inbox.MarkReadAsync(CurrentUser.From(principal).Id, id, cancellationToken))
            throw new Problems.ProblemException(404, "notification-not-found", "Không có thông báo này", "No such notification", $"Không có thông báo '{id}'.", $"There is no notification '{id}'.");
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MarkedRead>> MarkAllReadAsync(ClaimsPrincipal principal, InboxStore inbox, CancellationToken cancellationToken) =>
        TypedResults.Ok(new MarkedRead(await inbox.MarkAllReadAsync(CurrentUser.From(principal).Id, cancellationToken)));

    /// <summary>Ids are table keys: letters, digits, dots and dashes only, so nothing else reaches storage.</summary>
    private static bool IsKey(string id) => id.Length is > 0 and <= 200 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
}
