using MotCua.FunctionApp.Storage;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests;

/// <summary>A dossier taken from submission to returned result by the demo users, through the API, on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public class WorkflowApiTests
{
    /// <summary>The queue transport the app runs on; a subclass runs every test again on Service Bus.</summary>
    protected virtual QueueTransportKind Transport => QueueTransportKind.StorageQueues;

    [Fact]
    public async Task Walkthrough_WithSupplementAndSignedApproval_ReachesReturnedResultBeforeDeadline()
    {
        await using var app = await TestApp.StartAsync(transport: Transport);
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Chairman);
        var code = await SubmitRegisteredAsync(app, procedure: "1.000656");   // 5 working days: finishing today is before the deadline

        var accepted = await DoAsync(app, code, "accept", Users.Clerk);
        Assert.Equal(2, Status(accepted));
        Assert.Equal(JsonValueKind.String, accepted.GetProperty("progress").GetProperty("dueAt").ValueKind);
        var pin = accepted.GetProperty("lookupPin").GetString()!;

        Assert.Equal(4, Status(await DoAsync(app, code, "hand-over", Users.Clerk)));
        Assert.Equal(5, Status(await DoAsync(app, code, "request-supplement", Users.Clerk, new { comment = "Bổ sung bản sao giấy chứng sinh" })));
        Assert.Equal(4, Status(await DoAsync(app, code, "receive-supplement", Users.Clerk)));
        var submitted = await DoAsync(app, code, "submit-for-approval", Users.Specialist);
        Assert.Equal("Phê duyệt", submitted.GetProperty("progress").GetProperty("stepName").GetString());

        // The chairman sees it waiting, from the work list the dossier events keep.
        var waiting = await Eventually.GetAsync(async () =>
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/approvals", Users.Chairman));
            var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return list.EnumerateArray().Any(i => i.GetProperty("code").GetString() == code) ? new[] { list.Clone() } : null;
        }, "the approval list");
        var waitingList = waiting[0];
        Assert.Equal(code, waitingList.EnumerateArray().First().GetProperty("code").GetString());

        var current = await GetAsync(app, code, Users.Chairman);
        var version = current.Body.GetProperty("version").GetInt32();
        var approved = await ActAsync(app, code, "approve", Users.Chairman, phone.Sign(code, "approve", version, DateTimeOffset.UtcNow, "Đồng ý"), current.ETag);
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("Trả kết quả", approved.Body.GetProperty("progress").GetProperty("stepName").GetString());
        var approval = approved.Body.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("approve", approval.GetProperty("action").GetString());
        Assert.Equal(phone.KeyId, approval.GetProperty("details").GetProperty("signature").GetProperty("keyId").GetString());

        var finished = await DoAsync(app, code, "finish", Users.Clerk);
        Assert.Equal((9, "BeforeDeadline"), (Status(finished), finished.GetProperty("progress").GetProperty("timeliness").GetString()));
        Assert.Equal(10, Status(await DoAsync(app, code, "return-result", Users.Clerk)));

        using var lookup = await app.Http.GetAsync($"/api/public/dossiers/{code}?pin={pin}");
        var publicView = JsonDocument.Parse(await lookup.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(10, publicView.GetProperty("status").GetProperty("code").GetInt32());
        Assert.Equal("Ủy ban nhân dân phường Nha Trang", publicView.GetProperty("receivingUnit").GetString());
        Assert.DoesNotContain("Nguyễn", publicView.GetRawText());
        // A citizen reads every step and the classification in Vietnamese; the codes stay alongside for apps.
        var timeliness = publicView.GetProperty("timeliness");
        Assert.Equal(("BeforeDeadline", "Trước hạn", "Before the deadline"),
            (timeliness.GetProperty("code").GetString(), timeliness.GetProperty("name").GetString(), timeliness.GetProperty("nameEn").GetString()));
        var steps = publicView.GetProperty("steps").EnumerateArray()
            .Select(s => (Action: s.GetProperty("action").GetString()!, Name: s.GetProperty("actionName").GetString()!, NameEn: s.GetProperty("actionNameEn").GetString()!)).ToList();
        Assert.Contains(("hand-over", "Chuyển xử lý", "Handed over"), steps);
        Assert.Contains(("document-checked", "Kiểm tra tài liệu", "Document checked"), steps);
        Assert.Contains(("approve", "Phê duyệt", "Approved"), steps);
        Assert.Contains(("submitted", "Nộp hồ sơ", "Submitted"), steps);
        Assert.DoesNotContain(steps, s => s.Name == "Cập nhật hồ sơ" || s.Name.Contains('-', StringComparison.Ordinal));

        using var verification = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}/history/verification", Users.Clerk));
        Assert.True(JsonDocument.Parse(await verification.Content.ReadAsStringAsync()).RootElement.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Approval_ReplayedAlteredOrUnsigned_IsRefused()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, transport: Transport);
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Chairman);
        var code = await ReadyForApprovalAsync(app);
        var current = await GetAsync(app, code, Users.Chairman);
        var version = current.Body.GetProperty("version").GetInt32();

        var unsigned = await ActAsync(app, code, "approve", Users.Chairman, new { comment = "Đồng ý" }, current.ETag);
        Assert.Equal((HttpStatusCode.BadRequest, "https://motcua.vn/problems/signature-required"), (unsigned.Status, unsigned.Body.GetProperty("type").GetString()));
        Assert.StartsWith("Thao tác 'Phê duyệt' (approve) là quyết định của chủ tịch", unsigned.Body.GetProperty("detail").GetString());
        // A send-back is the chairman's decision too: the refusal names it, not an approval.
        var unsignedSendBack = await ActAsync(app, code, "send-back", Users.Chairman, new { comment = "Thiếu chữ ký người đi khai sinh" }, current.ETag);
        Assert.Equal((HttpStatusCode.BadRequest, "send-back"), (unsignedSendBack.Status, unsignedSendBack.Body.GetProperty("action").GetString()));
        Assert.Equal("Thao tác 'Trả lại để xử lý lại' (send-back) là quyết định của chủ tịch, phải kèm chữ ký bằng khóa thiết bị đã đăng ký.",
            unsignedSendBack.Body.GetProperty("detail").GetString());

        var signed = phone.Sign(code, "approve", version, DateTimeOffset.UtcNow, "Đồng ý");
        var altered = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(signed))!;
        altered["comment"] = JsonSerializer.SerializeToElement("Đồng ý, cấp gấp");
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(app, code, "approve", Users.Chairman, altered, current.ETag)).Status);
        var otherAction = phone.Sign(code, "send-back", version, DateTimeOffset.UtcNow, "Đồng ý");
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(app, code, "approve", Users.Chairman, otherAction, current.ETag)).Status);
        var stale = phone.Sign(code, "approve", version, DateTimeOffset.UtcNow.AddMinutes(-20), "Đồng ý");
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(app, code, "approve", Users.Chairman, stale, current.ETag)).Status);

        Assert.Equal(HttpStatusCode.OK, (await ActAsync(app, code, "approve", Users.Chairman, signed, current.ETag)).Status);
        // The same request again: the version it names has passed because of itself, and the answer says so, not that someone else acted.
        var replayed = await ActAsync(app, code, "approve", Users.Chairman, signed, current.ETag);
        Assert.Equal((HttpStatusCode.PreconditionFailed, "https://motcua.vn/problems/action-already-recorded", "Quyết định này đã được ghi nhận"),
            (replayed.Status, replayed.Body.GetProperty("type").GetString(), replayed.Body.GetProperty("title").GetString()));
        Assert.Contains($"phiên bản {version} mà yêu cầu đã ký không còn là phiên bản hiện tại ({version + 1})", replayed.Body.GetProperty("detail").GetString());
        Assert.Equal(version + 1, replayed.Body.GetProperty("recordedVersion").GetInt32());
    }

    [Fact]
    public async Task Approval_WithARevokedKey_IsRefused()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, transport: Transport);
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Chairman);
        var code = await ReadyForApprovalAsync(app);
        using (var revoke = await app.Http.SendAsync(app.Request(HttpMethod.Delete, $"/api/me/device-keys/{phone.KeyId}", Users.Chairman)))
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var current = await GetAsync(app, code, Users.Chairman);
        var answer = await ActAsync(app, code, "approve", Users.Chairman,
            phone.Sign(code, "approve", current.Body.GetProperty("version").GetInt32(), DateTimeOffset.UtcNow, "Đồng ý", der: false), current.ETag);
        Assert.Equal((HttpStatusCode.Forbidden, "https://motcua.vn/problems/signature-refused"), (answer.Status, answer.Body.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Action_NotFittingTheStatus_Is409NamingStatusAndAllowedActions()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, transport: Transport);
        var code = await SubmitRegisteredAsync(app);
        var answer = await ActAsync(app, code, "finish", Users.Clerk);
        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
        Assert.Equal(1, answer.Body.GetProperty("currentStatus").GetProperty("code").GetInt32());
        Assert.Equal(["accept", "refuse", "request-supplement"], answer.Body.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));

        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(app, code, "accept", Users.OtherUnitClerk)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(app, code, "accept", Users.Citizen)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ActAsync(app, code, "teleport", Users.Clerk)).Status);
        Assert.Equal((HttpStatusCode)428, (await ActAsync(app, code, "accept", Users.Clerk, sendIfMatch: false)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await ActAsync(app, code, "refuse", Users.Clerk, new { comment = "" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await ActAsync(app, code, "refuse", Users.Clerk, new { comment = "Không thuộc thẩm quyền" })).Status);
        Assert.Equal(3, Status((await GetAsync(app, code, Users.Clerk)).Body));
    }

    [Fact]
    public async Task TwoOfficials_ActingOnTheSameVersion_OneWinsTheOtherGets412()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, transport: Transport);
        var code = await SubmitRegisteredAsync(app);
        var etag = (await GetAsync(app, code, Users.Clerk)).ETag;
        var secondClerk = Users.Clerk with { Id = "clerk-002", Name = "Hồ Thị Mai" };

        var answers = await Task.WhenAll(
            ActAsync(app, code, "accept", Users.Clerk, ifMatch: etag),
            ActAsync(app, code, "refuse", secondClerk, new { comment = "Thiếu giấy tờ" }, ifMatch: etag));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], answers.Select(a => a.Status).Order());
        var loser = answers.Single(a => a.Status == HttpStatusCode.PreconditionFailed);
        var version = int.Parse(etag!.Trim('"', 'W', '/'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(version + 1, loser.Body.GetProperty("currentVersion").GetInt32());
        Assert.Equal(("https://motcua.vn/problems/dossier-changed", "Hồ sơ đã được người khác thay đổi"),
            (loser.Body.GetProperty("type").GetString(), loser.Body.GetProperty("title").GetString()));
        var history = (await GetAsync(app, code, Users.Clerk)).Body.GetProperty("history");
        Assert.Equal(version + 1, history.GetArrayLength());
    }

    [Fact]
    public async Task Withdraw_ByTheCitizen_StopsTheDossierAndOnlyThem()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, transport: Transport);
        var code = await SubmitRegisteredAsync(app);
        Assert.Equal(HttpStatusCode.Forbidden, (await ActAsync(app, code, "withdraw", Users.OtherCitizen, new { comment = "x" }, ifMatch: "\"2\"")).Status);
        Assert.Equal(7, Status(await DoAsync(app, code, "withdraw", Users.Citizen, new { comment = "Nộp nhầm thủ tục" })));
    }

    [Fact]
    public async Task History_WithAStoredEntryAltered_FailsVerification()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, transport: Transport);
        var code = await SubmitRegisteredAsync(app);
        await DoAsync(app, code, "accept", Users.Clerk);

        var entry = (await app.Tables.Dossiers.GetEntityAsync<TableEntity>(code, "history-000002")).Value;
        entry["Comment"] = "Ghi chú bị sửa";
        await app.Tables.Dossiers.UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Replace);

        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}/history/verification", Users.Clerk));
        var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(2, result.GetProperty("firstBrokenSequence").GetInt32());
    }

    [Fact]
    public async Task PublicLookup_WrongPinRevealsNothingAndIsRateLimited()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, new() { ["Lookup:PermitsPerMinute"] = "4" }, transport: Transport);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var wrongPin = submitted.LookupPin == "000000" ? "000001" : "000000";

        using var right = await app.Http.GetAsync($"/api/public/dossiers/{submitted.Code}?pin={submitted.LookupPin}");
        using var wrong = await app.Http.GetAsync($"/api/public/dossiers/{submitted.Code}?pin={wrongPin}");
        using var unknown = await app.Http.GetAsync($"/api/public/dossiers/{Demo.DemoData.NhaTrangWard}-200101-0001?pin={wrongPin}");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync().ContinueWith(t => Strip(t.Result)), Strip(await wrong.Content.ReadAsStringAsync()));

        using var limited = await app.Http.GetAsync($"/api/public/dossiers/{submitted.Code}?pin={submitted.LookupPin}");
        using var limitedAgain = await app.Http.GetAsync($"/api/public/dossiers/{submitted.Code}?pin={submitted.LookupPin}");
        Assert.Equal((HttpStatusCode)429, limitedAgain.StatusCode);
        Assert.Equal("application/problem+json", limitedAgain.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task LateFinish_IsClassifiedLate_RecordsWhereTimeWasLost_AndOwesAnApologyForm()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(7)));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, time: time, transport: Transport);
        using var phone = new Phone();
        var code = await SubmitRegisteredAsync(app, procedure: "1.000656");   // 5 working days
        await DoAsync(app, code, "accept", Users.Clerk);
        await DoAsync(app, code, "hand-over", Users.Clerk);
        time.Advance(TimeSpan.FromDays(14));                                  // the specialist sits on it
        await DoAsync(app, code, "submit-for-approval", Users.Specialist);
        await phone.RegisterAsync(app, Users.Chairman);
        var current = await GetAsync(app, code, Users.Chairman);
        var approved = await ActAsync(app, code, "approve", Users.Chairman,
            phone.Sign(code, "approve", current.Body.GetProperty("version").GetInt32(), time.GetUtcNow(), "Đồng ý"), current.ETag);
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        var finished = await DoAsync(app, code, "finish", Users.Clerk);

        Assert.Equal("Late", finished.GetProperty("progress").GetProperty("timeliness").GetString());
        var handling = finished.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("action").GetString() == "submit-for-approval");
        var leftStep = handling.GetProperty("details").GetProperty("leftStep");
        Assert.True(leftStep.GetProperty("late").GetBoolean());
        Assert.Equal(Users.Specialist.Id, handling.GetProperty("actor").GetString());

        // The late finish owes an apology with a new date for handing over the result.
        var apology = app.Request(HttpMethod.Post, $"/api/dossiers/{code}/apology", Users.Clerk,
            JsonContent.Create(new { newDueDate = "2026-12-14", reason = "Chuyên viên thụ lý nghỉ ốm dài ngày" }));
        apology.Headers.TryAddWithoutValidation("If-Match", (await GetAsync(app, code, Users.Clerk)).ETag);
        using (var recorded = await app.Http.SendAsync(apology)) Assert.Equal(HttpStatusCode.NoContent, recorded.StatusCode);
        using var form = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/dossiers/{code}/forms/apology", Users.Citizen));
        var text = await Tools.PdfTextAsync(await form.Content.ReadAsByteArrayAsync());
        Assert.Contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", text);
        Assert.Contains("ngày 14 tháng 12 năm 2026", text);
    }

    private static string Strip(string problem)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(problem)!.AsObject();
        node.Remove("traceId");
        node.Remove("instance");
        return node.ToJsonString();
    }

    [Fact]
    public async Task Outsider_ProbingWithActions_LearnsNothingOfTheDossier()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, transport: Transport);
        var code = await SubmitRegisteredAsync(app);
        foreach (var ifMatch in new[] { "\"0\"", "\"2\"" })
        {
            var answer = await ActAsync(app, code, "accept", Users.OtherUnitClerk, ifMatch: ifMatch);
            Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
            Assert.False(answer.Body.TryGetProperty("currentVersion", out _) || answer.Body.TryGetProperty("currentStatus", out _));
        }
    }

    [Fact]
    public async Task Token_WithoutASubject_IsRefused()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, transport: Transport);
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/procedures", Users.Citizen with { Id = "" }));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Worklist_EventsDeliveredOutOfOrder_LeaveTheDossierWhereTheNewestSays()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, transport: Transport);
        var code = $"{Demo.DemoData.NhaTrangWard}-261123-0077";
        Dossiers.DossierEvent Event(int sequence, string holder, string previous) => new(code, sequence, "hand-over", 4, 4, "x", DateTimeOffset.UtcNow,
            "1.000656", "Đăng ký kết hôn", Demo.DemoData.NhaTrangWard, holder, previous, 0, "Thụ lý", "specialist", "", "Nguyễn Thị Hoa", null, null);
        async Task DeliverAsync(Dossiers.DossierEvent e)
        {
            var name = Worklist.WorklistFunction.Declaration.Name;
            var body = BinaryData.FromObjectAsJson(e, JsonSerializerOptions.Web);
            // As the host's trigger on this transport hands it over: Service Bus gives the body, a Storage queue our envelope.
            var payload = Transport == QueueTransportKind.ServiceBus
                ? HostPayloads.ServiceBus(name, $"e-{e.Sequence}", Dossiers.DossierEvent.Subject, body, e.Code)
                : HostPayloads.StorageQueue(name, MotCua.Messaging.StorageQueues.QueueEnvelope.From(
                    new MotCua.Messaging.OutgoingMessage($"e-{e.Sequence}", Dossiers.DossierEvent.Subject, body)).ToText());
            using var response = await app.Http.PostAsync("/" + name, HostPayloads.Content(payload));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await DeliverAsync(Event(7, Demo.DemoData.NhaTrangWard, Demo.DemoData.EnvironmentDepartment));   // handed back to the ward
        await DeliverAsync(Event(6, Demo.DemoData.EnvironmentDepartment, Demo.DemoData.NhaTrangWard));   // the older hand-over, redelivered late

        async Task<bool> ListedAsync(Auth.CurrentUser user)
        {
            using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/worklist", user));
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Any(i => i.GetProperty("code").GetString() == code);
        }
        Assert.True(await ListedAsync(Users.Specialist));
        Assert.False(await ListedAsync(Users.Specialist with { Id = "specialist-002", Unit = Demo.DemoData.EnvironmentDepartment }));
    }
}

/// <summary>The same tests with the Service Bus transport against RabbitMQ over AMQP 1.0.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkflowApiTestsOnServiceBus : WorkflowApiTests
{
    protected override QueueTransportKind Transport => QueueTransportKind.ServiceBus;
}
