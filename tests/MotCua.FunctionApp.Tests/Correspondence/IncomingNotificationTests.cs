using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Incoming.Notifications;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Messaging;
using static MotCua.FunctionApp.Tests.Correspondence.IncomingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// Each step of an incoming document reaches the inboxes (and phones) of the people it concerns, once,
/// in Vietnamese; secret documents are named by their receipt number only; handlers are reminded before
/// their limit and chased after it, on a fake clock.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class IncomingNotificationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private const string Summary = "V/v triển khai kế hoạch chuyển đổi số năm 2027";
    private const string Sender = "Ủy ban nhân dân tỉnh Khánh Hòa";

    /// <summary>A head of the economy department, known to the member directory once they use the app.</summary>
    private static readonly CurrentUser EconomyHead = new("department-head-002", "Đặng Văn Phúc", Roles.DepartmentHead, DemoData.EconomyDepartment);

    private static readonly CurrentUser SecondRecordsClerk = new("records-clerk-002", "Trịnh Thị Hà", Roles.RecordsClerk, DemoData.NhaTrangWard);

    private readonly TestPki _pki = TestPki.Create(Now);
    private readonly string _trust = Directory.CreateTempSubdirectory("motcua-trust-").FullName;
    private FakeFcm _fcm = default!;

    public async Task InitializeAsync()
    {
        _pki.WriteTrustFolder(_trust);
        _fcm = await FakeFcm.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _fcm.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_trust, recursive: true);
    }

    private Dictionary<string, string?> Settings(bool push = false) => new(push ? _fcm.Settings : []) { ["Signatures:TrustFolder"] = _trust };

    private byte[] SignedLetter() => SignedPdfBuilder.Sign(
        Scans.TextPdf(["ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Số: 125/UBND-VP", Summary]),
        _pki.IssueSigner("CN=Ủy ban nhân dân tỉnh Khánh Hòa, C=VN", Now.AddYears(-1), Now.AddYears(1)),
        new PdfSignatureOptions { SubFilter = PdfSubFilter.EtsiCadesDetached, SigningTime = Now });

    private static string Day(string isoDate) => DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static async Task<IReadOnlyList<string>> KindsAsync(TestApp app, CurrentUser user, string id) =>
        [.. (await NoticesAsync(app, user, id)).Select(n => n.Kind)];

    [Fact]
    public async Task Each_step_tells_the_people_it_concerns_once_and_a_redelivered_event_tells_nobody_again()
    {
        await using var app = await TestApp.StartAsync(settings: Settings());
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Leader);
        Assert.Empty(await NoticesAsync(app, EconomyHead, "none")); // signs in: now a known head of the economy department
        var letter = $"Công văn số 501/UBND-VP của {Sender}: {Summary}.";

        // Arrival: the records clerks, to register it.
        var id = await ArriveAsync(app, Letter(number: "501", notation: "UBND-VP"), SignedLetter());
        var arrivedNotice = Assert.Single(await NoticesOfKindAsync(app, Users.RecordsClerk, id, IncomingNoticeKinds.Arrived));
        Assert.Equal("Văn bản đến chờ vào sổ", arrivedNotice.Title);
        Assert.Equal($"{letter} Đề nghị kiểm tra và vào sổ.", arrivedNotice.Body);
        Assert.Equal((id, "", $"motcua://incoming/{id}", 1), (arrivedNotice.DocumentId, arrivedNotice.DossierCode, arrivedNotice.DeepLink, arrivedNotice.Status));

        // Registration: the leader and the deputy, to direct it; not the clerk who registered it.
        var arrived = await CheckedAsync(app, id, Users.RecordsClerk);
        var registered = await StepAsync(app, id, "registration", Users.RecordsClerk, null, arrived.ETag);
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        foreach (var leader in new[] { Users.Leader, Users.Deputy })
        {
            var notice = Assert.Single(await NoticesOfKindAsync(app, leader, id, IncomingNoticeKinds.Registered));
            Assert.Equal("Văn bản đến số 1 chờ chỉ đạo", notice.Title);
            Assert.Equal($"{letter} Đề nghị đồng chí cho ý kiến chỉ đạo.", notice.Body);
        }

        // Direction: the lead department's head, the co-handling department's head, and the officials informed.
        var due = InWorkingDays(5);
        var directed = await StepAsync(app, id, "direction", Users.Leader,
            Direction(phone, [(id, registered.Version)], DemoData.CultureDepartment, due, "Giao Phòng Văn hóa - Xã hội chủ trì, tham mưu.",
                coHandlers: [DemoData.EconomyDepartment], informed: [Users.OtherDepartmentOfficer.Id, Users.Deputy.Id]), registered.ETag);
        Assert.True(directed.Status == HttpStatusCode.OK, directed.Body.ToString());
        var lead = Assert.Single(await NoticesOfKindAsync(app, Users.DepartmentHead, id, IncomingNoticeKinds.Lead));
        Assert.Equal("Giao Phòng Văn hóa - Xã hội chủ trì xử lý văn bản đến số 1", lead.Title);
        Assert.Equal($"{letter} Hạn xử lý: {Day(due)}. Ý kiến chỉ đạo: Giao Phòng Văn hóa - Xã hội chủ trì, tham mưu. Đề nghị phân công cán bộ xử lý.", lead.Body);
        Assert.Equal(new DateTimeOffset(DateOnly.ParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(17, 0)), VietnamTime.Offset), lead.DueAt);
        var coHandling = Assert.Single(await NoticesOfKindAsync(app, EconomyHead, id, IncomingNoticeKinds.CoHandling));
        Assert.Equal("Giao Phòng Kinh tế, Hạ tầng và Đô thị phối hợp xử lý văn bản đến số 1", coHandling.Title);
        Assert.Equal($"{letter} Chủ trì: Phòng Văn hóa - Xã hội. Hạn xử lý: {Day(due)}. Ý kiến chỉ đạo: Giao Phòng Văn hóa - Xã hội chủ trì, tham mưu.", coHandling.Body);
        foreach (var informed in new[] { Users.OtherDepartmentOfficer, Users.Deputy })
        {
            var notice = Assert.Single(await NoticesOfKindAsync(app, informed, id, IncomingNoticeKinds.Informed));
            Assert.Equal("Văn bản đến số 1 gửi đồng chí để biết", notice.Title);
            Assert.StartsWith($"{letter} Chủ trì: Phòng Văn hóa - Xã hội.", notice.Body);
        }

        // Pass-on: the official it is passed to.
        var officerDue = InWorkingDays(3);
        var assigned = await StepAsync(app, id, "assignment", Users.DepartmentHead, new { officer = Users.Officer.Id, dueDate = officerDue, comment = "Anh Tuấn xử lý." }, directed.ETag);
        Assert.Equal(HttpStatusCode.OK, assigned.Status);
        var passedOn = Assert.Single(await NoticesOfKindAsync(app, Users.Officer, id, IncomingNoticeKinds.Assigned));
        Assert.Equal("Giao đồng chí xử lý văn bản đến số 1", passedOn.Title);
        Assert.Equal($"{letter} Hạn xử lý: {Day(officerDue)}.", passedOn.Body);

        // The end: whoever directed it.
        var progress = await StepAsync(app, id, "progress", Users.Officer, new { note = "Đã dự thảo văn bản trả lời." }, assigned.ETag);
        var finished = await StepAsync(app, id, "finish", Users.Officer, new { result = "Đã trả lời bằng công văn số 88/UBND-VHXH." }, progress.ETag);
        Assert.Equal("06", finished.StatusCode);
        var done = Assert.Single(await NoticesOfKindAsync(app, Users.Leader, id, IncomingNoticeKinds.Finished));
        Assert.Equal("Văn bản đến số 1 đã xử lý xong", done.Title);
        Assert.Equal($"{letter} Kết quả: Đã trả lời bằng công văn số 88/UBND-VHXH.", done.Body);

        // Nobody else heard anything, and nobody heard twice.
        var expected = new Dictionary<CurrentUser, string[]>
        {
            [Users.RecordsClerk] = [IncomingNoticeKinds.Arrived],
            [Users.Leader] = [IncomingNoticeKinds.Finished, IncomingNoticeKinds.Registered],
            [Users.Deputy] = [IncomingNoticeKinds.Informed, IncomingNoticeKinds.Registered],
            [Users.DepartmentHead] = [IncomingNoticeKinds.Lead],
            [EconomyHead] = [IncomingNoticeKinds.CoHandling],
            [Users.Officer] = [IncomingNoticeKinds.Assigned],
            [Users.OtherDepartmentOfficer] = [IncomingNoticeKinds.Informed],
            [Users.OtherAgencyRecordsClerk] = [],
            [Users.Clerk] = [],
        };
        foreach (var (user, kinds) in expected) Assert.Equal(kinds, await KindsAsync(app, user, id));

        // The direction's and the registration's events delivered again: the same rows, nothing new.
        var view = (await GetAsync(app, id, Users.Leader)).Body;
        var history = view.GetProperty("history").EnumerateArray().ToList();
        DateTimeOffset At(string action) => history.Single(h => h.GetProperty("action").GetString() == action).GetProperty("at").GetDateTimeOffset();
        int Version(string action) => history.Single(h => h.GetProperty("action").GetString() == action).GetProperty("sequence").GetInt32();
        IncomingEvent[] again =
        [
            new(id, Ward, Version("registered"), "registered", 1, 3, Users.RecordsClerk.Id, At("registered"), 0, false, Summary, null, null, null, [], [], null, null),
            new(id, Ward, Version("directed"), "directed", 3, 4, Users.Leader.Id, At("directed"), 0, false, Summary, DemoData.CultureDepartment, null, null,
                [DemoData.EconomyDepartment], [Users.OtherDepartmentOfficer.Id, Users.Deputy.Id], DateOnly.ParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Users.Leader.Id),
        ];
        foreach (var e in again)
        {
            await app.Transport.SendAsync(IncomingEvent.Queue, new OutgoingMessage($"again-{e.Version}", IncomingEvent.Subject,
                BinaryData.FromObjectAsJson(e, JsonSerializerOptions.Web), CorrelationId: id), CancellationToken.None);
        }
        await Eventually.GetAsync(async () => await app.QueuedAsync(IncomingEvent.Queue) == 0 ? "" : null, "the repeated events to be handled");
        Assert.Empty(await app.Transport.PeekDeadLettersAsync(IncomingEvent.Queue, 10, CancellationToken.None));
        foreach (var (user, kinds) in expected) Assert.Equal(kinds, await KindsAsync(app, user, id));
    }

    [Fact]
    public async Task A_secret_urgent_document_is_named_by_its_receipt_number_only_in_inboxes_and_pushes()
    {
        await using var app = await TestApp.StartAsync(settings: Settings(push: true));
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Leader);
        await RegisterPhoneAsync(app, SecondRecordsClerk, "second-clerk-phone-token-000001");
        await RegisterPhoneAsync(app, Users.Leader, "leader-phone-token-00000000000001");
        await RegisterPhoneAsync(app, Users.Officer, "officer-phone-token-0000000000001", locale: "en");

        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Post, $"/api/agencies/{Ward}/incoming/paper", Users.RecordsClerk,
            Form(new { secret = true, senderName = "Công an tỉnh Khánh Hòa", number = "12", notation = "CAT-PV01", documentDate = "2026-11-30",
                documentType = "Công văn", summary = "Về công tác bảo đảm an ninh", priority = 1 })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        // The other records clerk hears of it, flagged urgent; the one who took it in does not.
        var arrival = Assert.Single(await NoticesOfKindAsync(app, SecondRecordsClerk, id, IncomingNoticeKinds.Arrived));
        Assert.Equal("[Khẩn] Văn bản mật chờ vào sổ", arrival.Title);
        Assert.Equal("Văn bản mật. Văn bản khẩn: đề nghị vào sổ và trình lãnh đạo ngay.", arrival.Body);

        var arrived = await GetAsync(app, id, Users.RecordsClerk);
        var registered = await StepAsync(app, id, "registration", Users.RecordsClerk, null, arrived.ETag);
        var waiting = Assert.Single(await NoticesOfKindAsync(app, Users.Leader, id, IncomingNoticeKinds.Registered));
        Assert.Equal("[Khẩn] Văn bản mật số đến 1 chờ chỉ đạo", waiting.Title);
        Assert.Equal("Văn bản mật số đến 1. Đề nghị đồng chí cho ý kiến chỉ đạo.", waiting.Body);

        var due = InWorkingDays(2);
        var directed = await StepAsync(app, id, "direction", Users.Leader,
            Direction(phone, [(id, registered.Version)], Users.Officer.Id, due, "Đồng chí Tuấn xử lý, bảo đảm an ninh khu vực."), registered.ETag);
        Assert.Equal(HttpStatusCode.OK, directed.Status);
        var lead = Assert.Single(await NoticesOfKindAsync(app, Users.Officer, id, IncomingNoticeKinds.Lead));
        Assert.Equal("[Urgent] You lead the handling of secret document, receipt no. 1", lead.Title);
        Assert.Equal($"Secret document, receipt no. 1. Due {Day(due)}.", lead.Body);

        // Not a word of the summary or the comment anywhere: not in an inbox, not in a push.
        var everyone = new[] { Users.RecordsClerk, SecondRecordsClerk, Users.Leader, Users.Deputy, Users.Officer, Users.DepartmentHead };
        var notices = new List<NotificationView>();
        foreach (var user in everyone) notices.AddRange(await NoticesAsync(app, user, id));
        Assert.Equal(4, notices.Count); // arrival (second clerk), registration (leader, deputy), direction (officer)
        Assert.All(notices, n => Assert.DoesNotContain("an ninh", n.Title + n.Body, StringComparison.OrdinalIgnoreCase));
        var pushes = await Eventually.GetAsync(() => Task.FromResult(_fcm.Accepted.Count >= 3 ? _fcm.Accepted.ToList() : null), "the pushes");
        Assert.Equal(["leader-phone-token-00000000000001", "officer-phone-token-0000000000001", "second-clerk-phone-token-000001"],
            pushes.Select(p => p.Token).Order());
        Assert.All(pushes, p =>
        {
            PushContract.Check(new System.Text.Json.Nodes.JsonObject { ["message"] = p.Message.DeepClone() });
            Assert.DoesNotContain("an ninh", p.Message.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
                StringComparison.OrdinalIgnoreCase);
            Assert.Equal(("incoming-notification", id, $"motcua://incoming/{id}", ""), (p.Message["data"]!["type"]!.GetValue<string>(),
                p.Message["data"]!["documentId"]!.GetValue<string>(), p.Message["data"]!["deepLink"]!.GetValue<string>(), p.Message["data"]!["dossierCode"]!.GetValue<string>()));
        });
    }

    [Fact]
    public async Task The_handler_is_reminded_a_working_day_before_the_limit_then_chased_with_the_leader_each_working_day_until_it_is_finished()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(settings: Settings(), time: time);
        var calendar = await app.Services.GetRequiredService<CalendarStore>().CurrentAsync(CancellationToken.None);
        DateOnly NextWorkingDay(DateOnly day)
        {
            do day = day.AddDays(1); while (!calendar.IsWorkingDay(day));
            return day;
        }
        static DateTimeOffset At(DateOnly day, int hour, int minute, int second = 0) => new(day.ToDateTime(new TimeOnly(hour, minute, second)), VietnamTime.Offset);
        var limit = NextWorkingDay(VietnamTime.Today(time.GetUtcNow()));
        var firstChase = NextWorkingDay(limit);
        var secondChase = NextWorkingDay(firstChase);

        // A second before the limit's day opens, the leader gives the officer the rest of the day: one working day left.
        time.SetUtcNow(At(limit, 7, 29, 59));
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Leader);
        var id = await ArriveAsync(app, Letter(number: "601"), SignedLetter());
        var arrived = await CheckedAsync(app, id, Users.RecordsClerk);
        var registered = await StepAsync(app, id, "registration", Users.RecordsClerk, null, arrived.ETag);
        var due = Days.Format(limit);
        var directed = await StepAsync(app, id, "direction", Users.Leader,
            DirectionSignedAt(phone, time.GetUtcNow(), [(id, registered.Version)], Users.Officer.Id, due, "Đồng chí Tuấn xử lý trong ngày."), registered.ETag);
        Assert.True(directed.Status == HttpStatusCode.OK, directed.Body.ToString());

        var soon = Assert.Single(await NoticesOfKindAsync(app, Users.Officer, id, IncomingNoticeKinds.DueSoon));
        Assert.Equal("Văn bản đến số 1 sắp đến hạn xử lý", soon.Title);
        Assert.Equal($"Công văn số 601/UBND-VP của {Sender}: {Summary}. Hạn xử lý: {limit:dd/MM/yyyy}.", soon.Body);
        Assert.Equal(At(limit, 17, 0), soon.DueAt);
        Assert.DoesNotContain(IncomingNoticeKinds.DueSoon, await KindsAsync(app, Users.Leader, id));

        // Two working days later, still open: the first chase (sent late, as after an outage) and the one of the day just opening.
        time.SetUtcNow(At(secondChase, 7, 29, 59));
        await IncomingReminders.SendAsync(app.Transport, new IncomingReminder(id, IncomingNoticeKinds.Overdue, limit, 1, At(firstChase, 7, 30)), time.GetUtcNow(),
            CancellationToken.None);
        foreach (var chased in new[] { Users.Officer, Users.Leader })
        {
            var overdue = await NoticesOfKindAsync(app, chased, id, IncomingNoticeKinds.Overdue, atLeast: 2);
            Assert.Equal(["Văn bản đến số 1 đã quá hạn xử lý", "Văn bản đến số 1 đã quá hạn xử lý"], overdue.Select(n => n.Title));
            Assert.Equal([2, 1], overdue.Select(n => n.Body.Contains("Đôn đốc lần 2:", StringComparison.Ordinal) ? 2 : n.Body.Contains("Đôn đốc lần 1:", StringComparison.Ordinal) ? 1 : 0));
            Assert.EndsWith($"Hạn xử lý: {limit:dd/MM/yyyy}. Đôn đốc lần 2: đề nghị khẩn trương hoàn thành.", overdue[0].Body);
        }
        Assert.Equal([IncomingNoticeKinds.Registered], await KindsAsync(app, Users.Deputy, id));
        Assert.Empty(await NoticesAsync(app, Users.DepartmentHead, id));

        // Left: the direction's own first chase (a day away) and the third chase. A reminder for a limit the document does not have tells nobody.
        await Eventually.GetAsync(async () => await app.QueuedAsync(IncomingReminder.Queue) == 2 ? "" : null, "the next chase to be scheduled");
        await ExpectNothingAsync(app, new IncomingReminder(id, IncomingNoticeKinds.Overdue, limit.AddDays(-1), 1, time.GetUtcNow()));

        // Finished late: whoever directed hears so, and the chase stops.
        var current = await GetAsync(app, id, Users.Officer);
        var finished = await StepAsync(app, id, "finish", Users.Officer, new { result = "Đã báo cáo." }, current.ETag);
        Assert.Equal("06", finished.StatusCode);
        var done = Assert.Single(await NoticesOfKindAsync(app, Users.Leader, id, IncomingNoticeKinds.Finished));
        Assert.Equal("Văn bản đến số 1 đã xử lý xong (quá hạn)", done.Title);
        await ExpectNothingAsync(app, new IncomingReminder(id, IncomingNoticeKinds.Overdue, limit, 3, time.GetUtcNow()));
        Assert.Equal(2, (await NoticesAsync(app, Users.Officer, id)).Count(n => n.Kind == IncomingNoticeKinds.Overdue));
        Assert.Empty(await app.Transport.PeekDeadLettersAsync(IncomingReminder.Queue, 10, CancellationToken.None));
    }

    /// <summary>Sends a reminder that should do nothing, and waits until it has been handled: the queue is back where it was, with no chase added.</summary>
    private static async Task ExpectNothingAsync(TestApp app, IncomingReminder reminder)
    {
        var before = await app.QueuedAsync(IncomingReminder.Queue);
        var notices = new Dictionary<string, int>();
        foreach (var user in new[] { Users.Officer, Users.Leader }) notices[user.Id] = (await NoticesAsync(app, user, reminder.DocumentId)).Count;
        await IncomingReminders.SendAsync(app.Transport, reminder, reminder.At, CancellationToken.None);
        await Eventually.GetAsync(async () => await app.QueuedAsync(IncomingReminder.Queue) == before ? "" : null, "the reminder to be handled");
        foreach (var user in new[] { Users.Officer, Users.Leader }) Assert.Equal(notices[user.Id], (await NoticesAsync(app, user, reminder.DocumentId)).Count);
    }

    private static async Task RegisterPhoneAsync(TestApp app, CurrentUser user, string token, string locale = "vi")
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Put, "/api/me/devices", user,
            JsonContent.Create(new { token, platform = "android", appVersion = "2.4.1", locale })));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
