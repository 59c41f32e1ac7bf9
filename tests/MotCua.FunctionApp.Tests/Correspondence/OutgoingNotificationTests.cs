using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Correspondence.Outgoing.Notifications;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Signing;
using MotCua.Messaging;
using static MotCua.FunctionApp.Tests.Correspondence.OutgoingFlow;
using static MotCua.FunctionApp.Tests.Correspondence.OutgoingSetup;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// Each step of an outgoing document reaches the inboxes (and phones) of the people it concerns, once,
/// in Vietnamese: the reviewer, the drafter of a return, the signer, the records clerks, and the drafter
/// of its issue; a recipient's refusal reaches the sender; a secret document's notices never say what it is about.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutgoingNotificationTests : IAsyncLifetime
{
    private const string Summary = "V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026";
    private readonly OutgoingSetup _setup = new();
    private FakeFcm _fcm = default!;

    public async Task InitializeAsync() => _fcm = await FakeFcm.StartAsync();

    public async Task DisposeAsync()
    {
        await _fcm.DisposeAsync();
        _setup.Dispose();
    }

    private static Task<IReadOnlyList<NotificationView>> NoticeAsync(TestApp app, CurrentUser user, string id, string kind, int atLeast = 1) =>
        IncomingFlow.NoticesOfKindAsync(app, user, id, kind, atLeast);

    private static async Task<IReadOnlyList<string>> KindsAsync(TestApp app, CurrentUser user, string id) =>
        [.. (await IncomingFlow.NoticesAsync(app, user, id)).Select(n => n.Kind).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Each_step_tells_the_people_it_concerns_once_and_a_redelivered_event_tells_nobody_again()
    {
        await using var app = await _setup.StartAsync(_fcm.Settings);
        using var phone = await CertifiedPhone.RegisterAsync(app, _setup.Pki, Users.Chairman);
        using (var device = await app.Http.SendAsync(app.Request(HttpMethod.Put, "/api/me/devices", Users.Officer,
            JsonContent.Create(new { token = "officer-phone-token-0000000000001", platform = "android", appVersion = "2.4.1", locale = "vi" }))))
            Assert.Equal(HttpStatusCode.OK, device.StatusCode);

        // Submitted by the officer with no named reviewer: the head of the drafting department reviews it.
        var drafted = await DraftAsync(app, Letter(Summary));
        var id = drafted.Body.GetProperty("id").GetString()!;
        var put = Ok(await PutDocumentAsync(app, id, Users.Officer, Pdf(), drafted.ETag));
        var submitted = Ok(await StepAsync(app, id, "submission", Users.Officer, null, put.ETag));
        var review = Assert.Single(await NoticeAsync(app, Users.DepartmentHead, id, OutgoingNoticeKinds.Review));
        Assert.Equal("Dự thảo công văn chờ anh/chị duyệt", review.Title);
        Assert.Equal($"Lê Minh Tuấn trình duyệt dự thảo công văn “{Summary}”.", review.Body);
        Assert.Equal((id, "", $"motcua://outgoing/{id}", 2), (review.DocumentId, review.DossierCode, review.DeepLink, review.Status));

        // Returned with a comment: the drafter.
        var returned = Ok(await StepAsync(app, id, "review", Users.DepartmentHead, new { decision = "return", comment = "Bổ sung thời gian tổ chức." }, submitted.ETag));
        var back = Assert.Single(await NoticeAsync(app, Users.Officer, id, OutgoingNoticeKinds.Returned));
        Assert.Equal("Dự thảo công văn bị trả lại", back.Title);
        Assert.Equal($"Dự thảo công văn “{Summary}” bị Trần Thị Thu trả lại: Bổ sung thời gian tổ chức.", back.Body);

        // Submitted again with a comment, passed: the signer.
        var second = Ok(await PutDocumentAsync(app, id, Users.Officer, Pdf(), returned.ETag));
        submitted = Ok(await StepAsync(app, id, "submission", Users.Officer, new { comment = "Đã bổ sung thời gian." }, second.ETag));
        var again = await NoticeAsync(app, Users.DepartmentHead, id, OutgoingNoticeKinds.Review, atLeast: 2);
        Assert.Contains(again, n => n.Body == $"Lê Minh Tuấn trình duyệt dự thảo công văn “{Summary}”. Ý kiến: Đã bổ sung thời gian.");
        var passed = Ok(await StepAsync(app, id, "review", Users.DepartmentHead, new { decision = "pass" }, submitted.ETag));
        var toSign = Assert.Single(await NoticeAsync(app, Users.Chairman, id, OutgoingNoticeKinds.Signature));
        Assert.Equal("Dự thảo công văn chờ anh/chị ký", toSign.Title);
        Assert.Equal($"Lê Minh Tuấn trình ký dự thảo công văn “{Summary}”.", toSign.Body);

        // Signed: the agency's records clerks, to number it.
        var signature = await PhoneSignatureAsync(app, id, phone, Users.Chairman);
        var signed = Ok(await StepAsync(app, id, "approval", Users.Chairman, new { decision = "sign", signature }, passed.ETag));
        var toNumber = Assert.Single(await NoticeAsync(app, Users.RecordsClerk, id, OutgoingNoticeKinds.Signed));
        Assert.Equal("Công văn chờ cấp số", toNumber.Title);
        Assert.Equal($"Công văn “{Summary}” đã được Lê Văn Hùng ký số. Đề nghị cấp số, ký số của cơ quan và phát hành.", toNumber.Body);

        // Issued: the drafter.
        Ok(await StepAsync(app, id, "issue", Users.RecordsClerk, null, signed.ETag));
        var issuedNotice = Assert.Single(await NoticeAsync(app, Users.Officer, id, OutgoingNoticeKinds.Issued));
        var today = DateTime.UtcNow.AddHours(7).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        Assert.Equal("Công văn số 01/UBND-VHXH đã được ban hành", issuedNotice.Title);
        Assert.Equal($"Công văn số 01/UBND-VHXH “{Summary}” ngày {today} đã được ký số của cơ quan và gửi đến nơi nhận.", issuedNotice.Body);

        // The commune refuses it: the sender's records clerks and the drafter hear who and why.
        var delivered = await DeliveredAsync(app, id, Commune);
        var arrived = await IncomingFlow.CheckedAsync(app, delivered, Users.OtherAgencyRecordsClerk);
        var refused = await IncomingFlow.StepAsync(app, delivered, "return", Users.OtherAgencyRecordsClerk, new { reason = "Văn bản gửi nhầm nơi nhận." }, arrived.ETag);
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        foreach (var user in new[] { Users.RecordsClerk, Users.Officer })
        {
            var notice = Assert.Single(await NoticeAsync(app, user, id, OutgoingNoticeKinds.Refused));
            Assert.Equal("Công văn số 01/UBND-VHXH bị Ủy ban nhân dân xã Cam Lâm từ chối", notice.Title);
            Assert.Equal($"Công văn số 01/UBND-VHXH “{Summary}” bị Ủy ban nhân dân xã Cam Lâm từ chối: Văn bản gửi nhầm nơi nhận.", notice.Body);
            Assert.Equal(7, notice.Status);
        }

        // Recalled: the drafter and the signer.
        var current = await GetAsync(app, id, Users.RecordsClerk);
        Ok(await StepAsync(app, id, "recall", Users.RecordsClerk, new { reason = "Văn bản ghi sai ngày tổ chức." }, current.ETag));
        foreach (var user in new[] { Users.Officer, Users.Chairman })
        {
            var notice = Assert.Single(await NoticeAsync(app, user, id, OutgoingNoticeKinds.Recalled));
            Assert.Equal("Công văn số 01/UBND-VHXH đã bị thu hồi", notice.Title);
            Assert.Equal($"Văn thư đã thu hồi công văn số 01/UBND-VHXH “{Summary}”: Văn bản ghi sai ngày tổ chức.", notice.Body);
        }

        // Each person heard of each step once; nobody of their own act.
        var expected = new Dictionary<CurrentUser, string[]>
        {
            [Users.Officer] = [OutgoingNoticeKinds.Issued, OutgoingNoticeKinds.Recalled, OutgoingNoticeKinds.Refused, OutgoingNoticeKinds.Returned],
            [Users.DepartmentHead] = [OutgoingNoticeKinds.Review, OutgoingNoticeKinds.Review],
            [Users.Chairman] = [OutgoingNoticeKinds.Recalled, OutgoingNoticeKinds.Signature],
            [Users.RecordsClerk] = [OutgoingNoticeKinds.Refused, OutgoingNoticeKinds.Signed],
            [Users.OtherDepartmentOfficer] = [],
        };
        foreach (var (user, kinds) in expected) Assert.Equal(kinds, await KindsAsync(app, user, id));

        // The return's, the signature's and the events delivered again: the same rows, nothing new.
        var history = (await GetAsync(app, id, Users.RecordsClerk)).Body.GetProperty("history").EnumerateArray().ToList();
        OutgoingEvent Again(string action, int from, int to, string actor)
        {
            var entry = history.First(h => h.GetProperty("action").GetString() == action);
            return new OutgoingEvent(id, Ward, entry.GetProperty("sequence").GetInt32(), action, from, to, actor, entry.GetProperty("at").GetDateTimeOffset(), 0, false, Summary);
        }
        OutgoingEvent[] repeated = [Again("review-returned", 2, 3, Users.DepartmentHead.Id), Again("signed", 4, 5, Users.Chairman.Id), Again("issued", 6, 7, "system")];
        foreach (var e in repeated)
        {
            await app.Transport.SendAsync(OutgoingEvent.Queue, new OutgoingMessage($"again-{e.Version}", OutgoingEvent.Subject,
                BinaryData.FromObjectAsJson(e, JsonSerializerOptions.Web), CorrelationId: id), CancellationToken.None);
        }
        await Eventually.GetAsync(async () => await app.QueuedAsync(OutgoingEvent.Queue) == 0 ? "" : null, "the repeated events to be handled");
        Assert.Empty(await app.Transport.PeekDeadLettersAsync(OutgoingEvent.Queue, 10, CancellationToken.None));
        foreach (var (user, kinds) in expected) Assert.Equal(kinds, await KindsAsync(app, user, id));

        // The drafter's phone got each of their notices, as the push contract says, opening the outgoing document.
        var pushes = await Eventually.GetAsync(() => Task.FromResult(_fcm.Accepted.Count >= 4 ? _fcm.Accepted.ToList() : null), "the drafter's pushes");
        Assert.All(pushes, p =>
        {
            PushContract.Check(new System.Text.Json.Nodes.JsonObject { ["message"] = p.Message.DeepClone() });
            Assert.Equal(("outgoing-notification", id, $"motcua://outgoing/{id}", ""), (p.Message["data"]!["type"]!.GetValue<string>(),
                p.Message["data"]!["documentId"]!.GetValue<string>(), p.Message["data"]!["deepLink"]!.GetValue<string>(), p.Message["data"]!["dossierCode"]!.GetValue<string>()));
        });
        Assert.Equal([OutgoingNoticeKinds.Issued, OutgoingNoticeKinds.Recalled, OutgoingNoticeKinds.Refused, OutgoingNoticeKinds.Returned],
            pushes.Select(p => p.Message["data"]!["kind"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_secret_urgent_draft_is_named_as_a_secret_document_only()
    {
        await using var app = await _setup.StartAsync();
        const string SecretSummary = "Về phương án bảo vệ mục tiêu trọng điểm dịp Tết";
        var drafted = await DraftAsync(app, new
        {
            documentType = "Công văn", summary = SecretSummary, recipients = Array.Empty<object>(), signer = Users.Chairman.Id, reviewer = Users.DepartmentHead.Id,
            priority = 1, secret = true,
            otherRecipients = new[] { "Công an tỉnh Khánh Hòa (bản giấy)", "Lưu: VT." },
        });
        Assert.Equal(HttpStatusCode.Created, drafted.Status);
        var id = drafted.Body.GetProperty("id").GetString()!;
        var put = Ok(await PutDocumentAsync(app, id, Users.Officer, Pdf("CONG VAN MAT"), drafted.ETag));
        var submitted = Ok(await StepAsync(app, id, "submission", Users.Officer, new { comment = "Trình phương án bảo vệ mục tiêu." }, put.ETag));
        var review = Assert.Single(await NoticeAsync(app, Users.DepartmentHead, id, OutgoingNoticeKinds.Review));
        Assert.Equal(("[Khẩn] Dự thảo văn bản mật chờ anh/chị duyệt", "Lê Minh Tuấn trình duyệt dự thảo văn bản mật."), (review.Title, review.Body));

        Ok(await StepAsync(app, id, "review", Users.DepartmentHead, new { decision = "return", comment = "Bổ sung lực lượng bảo vệ mục tiêu." }, submitted.ETag));
        var back = Assert.Single(await NoticeAsync(app, Users.Officer, id, OutgoingNoticeKinds.Returned));
        Assert.Equal(("[Khẩn] Dự thảo văn bản mật bị trả lại", "Dự thảo văn bản mật bị Trần Thị Thu trả lại."), (back.Title, back.Body));
        Assert.All([review, back], n => Assert.DoesNotContain("mục tiêu", n.Title + n.Body, StringComparison.OrdinalIgnoreCase));
    }
}
