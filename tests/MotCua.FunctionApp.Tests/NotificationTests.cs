using MotCua.FunctionApp.Storage;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// Status changes reach the right people's inboxes and phones, once: on Azurite, with a local
/// server keeping FCM's and Google's token contracts.
/// </summary>
[Collection(AzuriteCollection.Name)]
public class NotificationTests : IAsyncLifetime
{
    /// <summary>The queue transport the app runs on; a subclass runs every test again on Service Bus.</summary>
    protected virtual QueueTransportKind Transport => QueueTransportKind.StorageQueues;

    private FakeFcm _fcm = default!;

    public async Task InitializeAsync() => _fcm = await FakeFcm.StartAsync();

    public async Task DisposeAsync() => await _fcm.DisposeAsync();

    private Task<TestApp> StartAsync() => TestApp.StartAsync(settings: _fcm.Settings, transport: Transport);

    private static async Task<DeviceView> RegisterAsync(TestApp app, Auth.CurrentUser user, string token, string locale = "vi")
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Put, "/api/me/devices", user,
            JsonContent.Create(new { token, platform = "android", appVersion = "2.3.1", locale })));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DeviceView>(JsonSerializerOptions.Web))!;
    }

    private static async Task<InboxPage> InboxAsync(TestApp app, Auth.CurrentUser user, string query = "")
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/me/notifications" + query, user));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<InboxPage>(JsonSerializerOptions.Web))!;
    }

    private static async Task<int> UnreadAsync(TestApp app, Auth.CurrentUser user)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/me/notifications/unread-count", user));
        return (await response.Content.ReadFromJsonAsync<UnreadCount>(JsonSerializerOptions.Web))!.Unread;
    }

    /// <summary>Every notification step has run when its queues are empty (messages in flight still count; they only move forward).</summary>
    private static Task SettledAsync(TestApp app) => Eventually.GetAsync(async () =>
    {
        foreach (var queue in new[] { Hosting.QueueNames.DossierEvents, Hosting.QueueNames.Notifications, Hosting.QueueNames.PushDeliveries })
            if (await app.QueuedAsync(queue) > 0) return null;
        return "";
    }, "the notification queues to empty");

    [Fact]
    public async Task Status_changes_reach_the_right_inboxes_and_phones_once_each()
    {
        await using var app = await StartAsync();
        await RegisterAsync(app, Users.Citizen, "citizen-phone-token-000000000001", locale: "en");
        await RegisterAsync(app, Users.Clerk, "clerk-phone-token-00000000000001");
        await RegisterAsync(app, Users.Chairman, "chairman-phone-token-000000001");
        await RegisterAsync(app, Users.Chairman, "chairman-tablet-token-00000001");

        var code = await ReadyForApprovalAsync(app);
        await Eventually.GetAsync(async () => (await InboxAsync(app, Users.Chairman)).Items.Count > 0 ? "" : null, "the chairman's notification");
        await SettledAsync(app);

        // The citizen: told of each change of status (registered, accepted, in progress), in English as their phone asked;
        // nothing about the unit's internal moves (submitted for approval).
        var citizen = await InboxAsync(app, Users.Citizen);
        Assert.Equal([NotificationKinds.InProgress, NotificationKinds.Accepted, NotificationKinds.Registered], citizen.Items.Select(n => n.Kind));
        var accepted = citizen.Items.Single(n => n.Kind == NotificationKinds.Accepted);
        Assert.Equal((NotificationKinds.Accepted, code), (accepted.Kind, accepted.DossierCode));
        Assert.Equal($"Dossier {code} accepted", accepted.Title);
        Assert.Equal($"motcua://dossiers/{code}", accepted.DeepLink);
        // The clerks of the receiving unit: the dossier arrived. The chairman: an approval waits.
        Assert.Equal(NotificationKinds.Arrived, Assert.Single((await InboxAsync(app, Users.Clerk)).Items).Kind);
        var approval = Assert.Single((await InboxAsync(app, Users.Chairman)).Items);
        Assert.Equal($"Hồ sơ {code} chờ phê duyệt", approval.Title);
        // The specialist who took the next step in the same unit was told it arrived; another unit's specialist hears nothing.
        Assert.Equal(NotificationKinds.Arrived, Assert.Single((await InboxAsync(app, Users.Specialist)).Items).Kind);
        Assert.Empty((await InboxAsync(app, Demo.DemoData.Users.Single(u => u.Id == "specialist-002"))).Items);

        // One push per notification and device: three to the citizen's phone, one to the clerk's, one to each of the chairman's.
        var pushes = _fcm.Accepted.ToList();
        Assert.Equal(6, pushes.Count);
        Assert.Equal(["chairman-phone-token-000000001", "chairman-tablet-token-00000001", "citizen-phone-token-000000000001", "citizen-phone-token-000000000001",
            "citizen-phone-token-000000000001", "clerk-phone-token-00000000000001"], pushes.Select(p => p.Token).Order());
        Assert.All(pushes, p => PushContract.Check(new System.Text.Json.Nodes.JsonObject { ["message"] = p.Message.DeepClone() }));
        var citizenPush = pushes.Single(p => p.Token.StartsWith("citizen", StringComparison.Ordinal) && p.Message["data"]!["kind"]!.GetValue<string>() == "accepted").Message;
        Assert.Equal(accepted.Id, citizenPush["data"]!["notificationId"]!.GetValue<string>());
        Assert.Equal("accepted", citizenPush["data"]!["kind"]!.GetValue<string>());

        // The same events delivered again, twice each, change nothing: no second inbox row, no second push.
        var view = await DossierApi.GetAsync(app, code, Users.Clerk);
        foreach (var h in view!.History.Concat(view.History))
        {
            var again = new Dossiers.DossierEvent(code, h.Sequence, h.Action, h.From.Code, h.To.Code, h.Actor, h.At, "1.001193", "Đăng ký khai sinh",
                Demo.DemoData.NhaTrangWard, Demo.DemoData.NhaTrangWard, null, 0, null,
                h.Action == "submit-for-approval" ? Domain.Workflow.ActorRoles.Chairman : null, Users.Citizen.Id, "Nguyễn Thị Hoa", null, null);
            await app.Transport.SendAsync(Hosting.QueueNames.Notifications, new Messaging.OutgoingMessage(Guid.NewGuid().ToString("N"), Dossiers.DossierEvent.Subject,
                BinaryData.FromObjectAsJson(again, JsonSerializerOptions.Web)), CancellationToken.None);
        }
        await SettledAsync(app);
        Assert.Equal(3, (await InboxAsync(app, Users.Citizen)).Items.Count);
        Assert.Single((await InboxAsync(app, Users.Clerk)).Items);
        Assert.Single((await InboxAsync(app, Users.Chairman)).Items);
        Assert.Single((await InboxAsync(app, Users.Specialist)).Items);
        Assert.Equal(6, _fcm.Accepted.Count);
    }

    [Theory]
    [InlineData("accept")]
    [InlineData("hand-over")]
    [InlineData("request-supplement")]
    public async Task A_stopped_dossier_reaches_the_citizen_with_the_reason(string lastAction)
    {
        await using var app = await StartAsync();
        var code = await SubmitRegisteredAsync(app);
        await DoAsync(app, code, "accept", Users.Clerk);
        if (lastAction != "accept") await DoAsync(app, code, "hand-over", Users.Clerk);
        if (lastAction == "request-supplement") await DoAsync(app, code, lastAction, Users.Specialist, new { comment = "Bổ sung giấy chứng sinh" });
        await DoAsync(app, code, "stop", Users.Chairman, new { comment = "Người nộp đã qua đời" });
        var stopped = await Eventually.GetAsync(async () =>
            (await InboxAsync(app, Users.Citizen)).Items.FirstOrDefault(n => n.Kind == NotificationKinds.Stopped), "the citizen's notice of stopping");
        Assert.Equal($"Hồ sơ {code} bị dừng xử lý", stopped.Title);
    }

    [Fact]
    public async Task Every_status_change_reaches_the_citizen_once_in_Vietnamese_and_officials_hear_what_is_theirs()
    {
        await using var app = await StartAsync();
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Chairman);

        var walked = await SubmitRegisteredAsync(app);
        await DoAsync(app, walked, "accept", Users.Clerk);
        await DoAsync(app, walked, "hand-over", Users.Clerk);
        await DoAsync(app, walked, "request-supplement", Users.Specialist, new { comment = "Bổ sung bản sao giấy chứng sinh" });
        await DoAsync(app, walked, "receive-supplement", Users.Clerk);
        await DoAsync(app, walked, "request-fees", Users.Specialist, new { comment = "Lệ phí cấp bản sao trích lục 8.000 đồng" });
        await DoAsync(app, walked, "record-payment", Users.Clerk);
        await DoAsync(app, walked, "submit-for-approval", Users.Specialist);
        var current = await GetAsync(app, walked, Users.Chairman);
        var signed = phone.Sign(walked, "approve", current.Body.GetProperty("version").GetInt32(), DateTimeOffset.UtcNow, "Đồng ý");
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(app, walked, "approve", Users.Chairman, signed, current.ETag)).Status);
        await DoAsync(app, walked, "finish", Users.Clerk);
        await DoAsync(app, walked, "return-result", Users.Clerk);

        var refused = await SubmitRegisteredAsync(app);
        await DoAsync(app, refused, "refuse", Users.Clerk, new { comment = "Thủ tục không thuộc thẩm quyền của phường" });
        var withdrawn = await SubmitRegisteredAsync(app);
        await DoAsync(app, withdrawn, "accept", Users.Clerk);
        await DoAsync(app, withdrawn, "withdraw", Users.Citizen, new { comment = "Tôi nộp nhầm thủ tục" });
        var stopped = await SubmitRegisteredAsync(app);
        await DoAsync(app, stopped, "accept", Users.Clerk);
        await DoAsync(app, stopped, "stop", Users.Chairman, new { comment = "Người yêu cầu đã chuyển đi nơi khác" });

        (int Status, string Title, string? Reason)[] walk =
        [
            (1, $"Hồ sơ {walked} đã được đăng ký", null),
            (2, $"Hồ sơ {walked} đã được tiếp nhận", null),
            (4, $"Hồ sơ {walked} đang được xử lý", null),
            (5, $"Hồ sơ {walked} cần bổ sung giấy tờ", "Cần bổ sung: Bổ sung bản sao giấy chứng sinh."),
            (4, $"Hồ sơ {walked} đã nhận đủ giấy tờ bổ sung", null),
            (6, $"Hồ sơ {walked}: nộp phí, lệ phí", "Lệ phí cấp bản sao trích lục 8.000 đồng."),
            (4, $"Hồ sơ {walked} đã hoàn thành nghĩa vụ tài chính", null),
            (9, $"Hồ sơ {walked} đã xử lý xong", null),
            (10, $"Hồ sơ {walked} đã trả kết quả", null),
        ];
        (int Status, string Title, string? Reason)[] refusal = [(1, $"Hồ sơ {refused} đã được đăng ký", null), (3, $"Hồ sơ {refused} không được tiếp nhận", "Lý do: Thủ tục không thuộc thẩm quyền của phường.")];
        (int Status, string Title, string? Reason)[] withdrawal =
            [(1, $"Hồ sơ {withdrawn} đã được đăng ký", null), (2, $"Hồ sơ {withdrawn} đã được tiếp nhận", null), (7, $"Hồ sơ {withdrawn} đã được rút theo yêu cầu của người nộp", "Lý do: Tôi nộp nhầm thủ tục.")];
        (int Status, string Title, string? Reason)[] stop =
            [(1, $"Hồ sơ {stopped} đã được đăng ký", null), (2, $"Hồ sơ {stopped} đã được tiếp nhận", null), (8, $"Hồ sơ {stopped} bị dừng xử lý", "Lý do: Người yêu cầu đã chuyển đi nơi khác.")];

        var expected = walk.Length + refusal.Length + withdrawal.Length + stop.Length;
        await Eventually.GetAsync(async () => (await InboxAsync(app, Users.Citizen, "?pageSize=100")).Items.Count >= expected ? "" : null, "a notification for every change");
        await SettledAsync(app);
        var inbox = (await InboxAsync(app, Users.Citizen, "?pageSize=100")).Items;
        foreach (var (code, changes) in new[] { (walked, walk), (refused, refusal), (withdrawn, withdrawal), (stopped, stop) })
        {
            var told = inbox.Where(n => n.DossierCode == code).Reverse().ToList();
            Assert.Equal(changes.Select(c => (c.Status, c.Title)), told.Select(n => (n.Status, n.Title)));
            foreach (var (change, notification) in changes.Zip(told))
            {
                Assert.StartsWith($"Đăng ký khai sinh: {((Domain.Dossiers.DossierStatus)change.Status).Vietnamese()}.", notification.Body);
                if (change.Reason is { } reason) Assert.EndsWith(reason, notification.Body);
            }
        }

        // The specialist hears that the paused dossier is theirs again; the desk hears of the withdrawal and the stop of what it held.
        var specialist = (await InboxAsync(app, Users.Specialist, "?pageSize=100")).Items.Where(n => n.DossierCode == walked).Select(n => n.Kind).ToList();
        Assert.Contains(NotificationKinds.SupplementReceived, specialist);
        Assert.Contains(NotificationKinds.FeesPaid, specialist);
        var clerk = (await InboxAsync(app, Users.Clerk, "?pageSize=100")).Items;
        Assert.Contains(clerk, n => n.DossierCode == withdrawn && n.Kind == NotificationKinds.Withdrawn);
        Assert.Contains(clerk, n => n.DossierCode == stopped && n.Kind == NotificationKinds.Stopped);
    }

    [Fact]
    public async Task A_hand_over_inside_processing_tells_the_citizen_where_the_dossier_went()
    {
        await using var app = await StartAsync();
        // The land procedure's second step is the environment department's: the hand-over changes the step and the unit.
        var nextStep = await SubmitRegisteredAsync(app, procedure: "1.004227");
        await DoAsync(app, nextStep, "accept", Users.Clerk);
        await DoAsync(app, nextStep, "hand-over", Users.Clerk);
        await DoAsync(app, nextStep, "hand-over", Users.Specialist);
        // The birth registration handed to another unit at the same step; then on to approval, which the citizen is not told of.
        var otherUnit = await SubmitRegisteredAsync(app);
        await DoAsync(app, otherUnit, "accept", Users.Clerk);
        await DoAsync(app, otherUnit, "hand-over", Users.Clerk);
        await DoAsync(app, otherUnit, "hand-over", Users.Specialist, new { targetUnit = Demo.DemoData.EnvironmentDepartment });

        var handedOver = await Eventually.GetAsync(async () =>
        {
            var items = (await InboxAsync(app, Users.Citizen, "?pageSize=100")).Items.Where(n => n.Kind == NotificationKinds.HandedOver).ToList();
            return items.Count >= 2 ? items : null;
        }, "the citizen's notices of the hand-overs");
        await SettledAsync(app);
        var inbox = (await InboxAsync(app, Users.Citizen, "?pageSize=100")).Items;
        Assert.Equal(2, inbox.Count(n => n.Kind == NotificationKinds.HandedOver));
        var toNextStep = Assert.Single(inbox, n => n.DossierCode == nextStep && n.Kind == NotificationKinds.HandedOver);
        Assert.Equal($"Hồ sơ {nextStep} đã được chuyển đến Sở Nông nghiệp và Môi trường, bước «Thẩm định hồ sơ đất đai»", toNextStep.Title);
        Assert.StartsWith("Đăng ký đất đai, tài sản gắn liền với đất lần đầu: Đang xử lý.", toNextStep.Body);
        Assert.Equal(4, toNextStep.Status);
        var toOtherUnit = Assert.Single(inbox, n => n.DossierCode == otherUnit && n.Kind == NotificationKinds.HandedOver);
        Assert.Equal($"Hồ sơ {otherUnit} đã được chuyển đến Sở Nông nghiệp và Môi trường", toOtherUnit.Title);
        // One notice per change of status or place: registered, accepted, in progress, handed over.
        Assert.Equal(4, inbox.Count(n => n.DossierCode == otherUnit));
    }

    [Fact]
    public void Templates_name_the_step_a_hand_over_reached()
    {
        var facts = new NotificationFacts(NotificationKinds.HandedOver, "000.20.30.H56-261122-0001", "Đăng ký khai sinh", DossierStatus.InProgress, null,
            HandedTo: new HandOverPlace("Thẩm định hồ sơ", null));
        Assert.Equal("Hồ sơ 000.20.30.H56-261122-0001 đã được chuyển sang bước «Thẩm định hồ sơ»", NotificationTemplates.Render(facts, "vi").Title);
        Assert.Equal("Dossier 000.20.30.H56-261122-0001 moved on to the step «Thẩm định hồ sơ»", NotificationTemplates.Render(facts, "en").Title);
        var unit = facts with { HandedTo = new HandOverPlace(null, "Sở Tư pháp") };
        Assert.Equal("Dossier 000.20.30.H56-261122-0001 passed to Sở Tư pháp", NotificationTemplates.Render(unit, "en").Title);
    }

    [Fact]
    public async Task A_dossier_sent_back_tells_the_specialist_why()
    {
        await using var app = await StartAsync();
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Chairman);
        var code = await ReadyForApprovalAsync(app);
        var current = await GetAsync(app, code, Users.Chairman);
        var comment = "Tờ khai thiếu chữ ký của người đi khai sinh";
        var sentBack = await ActAsync(app, code, "send-back", Users.Chairman, phone.Sign(code, "send-back", current.Body.GetProperty("version").GetInt32(), DateTimeOffset.UtcNow, comment), current.ETag);
        Assert.Equal(HttpStatusCode.OK, sentBack.Status);

        var notice = await Eventually.GetAsync(async () =>
            (await InboxAsync(app, Users.Specialist)).Items.FirstOrDefault(n => n.Kind == NotificationKinds.SentBack), "the specialist's notice");
        Assert.Equal($"Hồ sơ {code} bị trả lại để xử lý lại", notice.Title);
        Assert.StartsWith($"Đăng ký khai sinh: lãnh đạo trả lại hồ sơ: {comment}.", notice.Body);
    }

    [Fact]
    public void Templates_say_in_English_why_a_dossier_came_back()
    {
        var (title, body) = NotificationTemplates.Render(new NotificationFacts(NotificationKinds.SentBack, "000.00.12.H56-250714-0001", "Birth registration",
            DossierStatus.InProgress, null, "The form lacks the declarant's signature"), "en-GB");
        Assert.Equal("Dossier 000.00.12.H56-250714-0001 sent back for rework", title);
        Assert.Equal("Birth registration: the leader sent it back: The form lacks the declarant's signature.", body);
    }

    [Fact]
    public async Task A_token_moved_to_another_user_leaves_the_first_and_removal_stops_pushes()
    {
        await using var app = await StartAsync();
        var mine = await RegisterAsync(app, Users.Citizen, "shared-phone-token-0000000000001");
        await RegisterAsync(app, Users.Citizen, "own-tablet-token-000000000000001");
        Assert.Equal(2, await DeviceCountAsync(Users.Citizen));

        var theirs = await RegisterAsync(app, Users.OtherCitizen, "shared-phone-token-0000000000001");
        Assert.Equal(mine.Id, theirs.Id);
        Assert.Equal(1, await DeviceCountAsync(Users.Citizen));
        Assert.Equal(1, await DeviceCountAsync(Users.OtherCitizen));

        using var removed = await app.Http.SendAsync(app.Request(HttpMethod.Delete, $"/api/me/devices/{theirs.Id}", Users.OtherCitizen));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using var again = await app.Http.SendAsync(app.Request(HttpMethod.Delete, $"/api/me/devices/{theirs.Id}", Users.OtherCitizen));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(0, await DeviceCountAsync(Users.OtherCitizen));

        async Task<int> DeviceCountAsync(Auth.CurrentUser user)
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/me/devices", user));
            return (await response.Content.ReadFromJsonAsync<List<DeviceView>>(JsonSerializerOptions.Web))!.Count;
        }
    }

    [Fact]
    public async Task A_token_fcm_no_longer_knows_is_forgotten_and_the_inbox_still_has_the_notification()
    {
        await using var app = await StartAsync();
        await RegisterAsync(app, Users.Citizen, "uninstalled-app-token-0000000001");
        // FCM refuses every send to the token: the registration's push and, if it races the removal, the acceptance's.
        _fcm.Script("uninstalled-app-token-0000000001", FakeFcm.Error(404, "NOT_FOUND", "UNREGISTERED"), FakeFcm.Error(404, "NOT_FOUND", "UNREGISTERED"));

        var code = await SubmitRegisteredAsync(app);
        await DoAsync(app, code, "accept", Users.Clerk);
        await Eventually.GetAsync(async () => (await InboxAsync(app, Users.Citizen)).Items.Any(n => n.Kind == NotificationKinds.Accepted) ? "" : null, "the citizen's notification");
        await SettledAsync(app);

        Assert.Empty(_fcm.Accepted);
        using var devices = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/me/devices", Users.Citizen));
        Assert.Empty((await devices.Content.ReadFromJsonAsync<List<DeviceView>>(JsonSerializerOptions.Web))!);
        Assert.Equal([NotificationKinds.Accepted, NotificationKinds.Registered], (await InboxAsync(app, Users.Citizen)).Items.Select(n => n.Kind));
    }

    [Fact]
    public async Task The_inbox_pages_newest_first_counts_unread_and_marks_read()
    {
        await using var app = await StartAsync();
        var code = await SubmitRegisteredAsync(app);
        await DoAsync(app, code, "accept", Users.Clerk);
        await DoAsync(app, code, "request-supplement", Users.Clerk, new { comment = "Thiếu bản sao giấy chứng sinh" });
        await Eventually.GetAsync(async () => await UnreadAsync(app, Users.Citizen) == 3 ? "" : null, "three notifications");

        var first = await InboxAsync(app, Users.Citizen, "?pageSize=1");
        Assert.Equal(NotificationKinds.SupplementRequested, Assert.Single(first.Items).Kind);
        Assert.NotNull(first.Next);
        var second = await InboxAsync(app, Users.Citizen, $"?pageSize=1&next={Uri.EscapeDataString(first.Next!)}");
        Assert.Equal(NotificationKinds.Accepted, Assert.Single(second.Items).Kind);

        using var read = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/me/notifications/{first.Items[0].Id}/read", Users.Citizen));
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        Assert.Equal(2, await UnreadAsync(app, Users.Citizen));
        Assert.Equal([NotificationKinds.Accepted, NotificationKinds.Registered], (await InboxAsync(app, Users.Citizen, "?unread=true")).Items.Select(n => n.Kind));

        // Someone else's notification is not found, whatever its id.
        using var foreign = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/me/notifications/{second.Items[0].Id}/read", Users.OtherCitizen));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);

        using var all = await app.Http.SendAsync(app.Request(HttpMethod.Post, "/api/me/notifications/read-all", Users.Citizen));
        Assert.Equal(2, (await all.Content.ReadFromJsonAsync<MarkedRead>(JsonSerializerOptions.Web))!.Marked);
        Assert.Equal(0, await UnreadAsync(app, Users.Citizen));
        Assert.All((await InboxAsync(app, Users.Citizen)).Items, n => Assert.True(n.Read));
    }

    [Fact]
    public async Task A_reminder_reaches_the_holder_and_the_leader_unless_the_dossier_moved_on()
    {
        await using var app = await StartAsync();
        var code = await SubmitRegisteredAsync(app);
        await DoAsync(app, code, "accept", Users.Clerk);
        await DoAsync(app, code, "hand-over", Users.Clerk);
        var dossier = (await app.Tables.Dossiers.GetEntityAsync<Dossiers.DossierEntity>(code, Dossiers.DossierRows.Dossier)).Value;
        var due = dossier.StepDueAt!.Value;

        // The hand-over's own reminders are queued first, hidden until days from now; they stay in the count below.
        await SettledAsync(app);
        var scheduled = await app.QueuedAsync(Hosting.QueueNames.DeadlineReminders);

        // A reminder for a deadline the dossier no longer has, alone: once it has left the queue without a dead
        // letter, its step has run to the end, and nobody heard of it.
        await DeadlineReminderFunction.ScheduleAsync(app.Transport, new DeadlineReminder(code, NotificationKinds.Overdue, due.AddDays(-3), DateTimeOffset.UtcNow.AddSeconds(-1)), CancellationToken.None);
        await Eventually.GetAsync(async () => await app.QueuedAsync(Hosting.QueueNames.DeadlineReminders) == scheduled ? "" : null, "the stale reminder to be handled");
        Assert.Empty(await app.Transport.PeekDeadLettersAsync(Hosting.QueueNames.DeadlineReminders, 10, CancellationToken.None));
        foreach (var official in new[] { Users.Specialist, Users.Chairman })
            Assert.DoesNotContain((await InboxAsync(app, official)).Items, n => n.Kind is NotificationKinds.DueSoon or NotificationKinds.Overdue);

        // Due soon and overdue, for the deadline the dossier still has: the specialists holding it and the chairman hear of them.
        await DeadlineReminderFunction.ScheduleAsync(app.Transport, new DeadlineReminder(code, NotificationKinds.DueSoon, due, DateTimeOffset.UtcNow.AddSeconds(-1)), CancellationToken.None);
        await DeadlineReminderFunction.ScheduleAsync(app.Transport, new DeadlineReminder(code, NotificationKinds.Overdue, due, DateTimeOffset.UtcNow.AddSeconds(-1)), CancellationToken.None);

        var inbox = await Eventually.GetAsync(async () =>
        {
            var items = (await InboxAsync(app, Users.Specialist)).Items;
            return items.Any(n => n.Kind == NotificationKinds.DueSoon) && items.Any(n => n.Kind == NotificationKinds.Overdue) ? items : null;
        }, "the specialist's reminders");
        Assert.Contains("sắp đến hạn", inbox.Single(n => n.Kind == NotificationKinds.DueSoon).Title);
        Assert.Equal(due, Assert.Single(inbox, n => n.Kind == NotificationKinds.Overdue).DueAt);
        Assert.Contains(NotificationKinds.DueSoon, (await InboxAsync(app, Users.Chairman)).Items.Select(n => n.Kind));
    }
}

/// <summary>The same tests with the Service Bus transport against RabbitMQ over AMQP 1.0.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class NotificationTestsOnServiceBus : NotificationTests
{
    protected override QueueTransportKind Transport => QueueTransportKind.ServiceBus;
}

/// <summary>
/// A stop whose messages did not leave with the request (the queue was unreachable) still reaches the
/// citizen when the dossier changes again: a stopped dossier takes no action, but a document check that
/// finishes after the stop records itself in the same partition, with its own pending mark.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StoppedDossierNotificationTests
{
    [Fact]
    public async Task A_stop_held_back_by_a_queue_failure_reaches_the_citizen_after_a_later_document_check()
    {
        var faults = new StorageFaults();
        await using var app = await TestApp.StartAsync(services: faults.Install);
        var code = await SubmitRegisteredAsync(app);
        await DoAsync(app, code, "accept", Users.Clerk);

        faults.Refuse(StorageFaults.IsQueueSend); // the stop is recorded with its messages, which then cannot be sent
        await DoAsync(app, code, "stop", Users.Chairman, new { comment = "Người nộp đã qua đời" });
        faults.Clear();

        // A document check recorded after the stop, as the document pipeline's last step records it.
        var store = app.Services.GetRequiredService<Dossiers.DossierStore>();
        var checkedLater = await store.ApplyAsync(code, expectedVersion: null, (d, _) => ValueTask.FromResult<Dossiers.DossierChange?>(new(
            new StatusChange(DossierStatus.Stopped, DossierStatus.Stopped, "document-checked", "Đã kiểm tra tài liệu «to-khai.pdf»: không có chữ ký số."))),
            "system", causedBy: "document-check-after-stop", CancellationToken.None);
        await app.Services.GetRequiredService<Outbox.OutboxDispatcher>().DispatchAsync(code, checkedLater.Outbox!, checkedLater.PendingMark, CancellationToken.None);

        var stopped = await Eventually.GetAsync(async () =>
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/me/notifications", Users.Citizen));
            var page = await response.Content.ReadFromJsonAsync<InboxPage>(JsonSerializerOptions.Web);
            return page!.Items.FirstOrDefault(n => n.DossierCode == code && n.Kind == NotificationKinds.Stopped);
        }, "the citizen's notice of the stop", seconds: 90);
        Assert.Equal($"Hồ sơ {code} bị dừng xử lý", stopped.Title);
    }
}
