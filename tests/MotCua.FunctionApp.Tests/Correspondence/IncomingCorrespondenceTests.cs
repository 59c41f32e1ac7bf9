using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using static MotCua.FunctionApp.Tests.Correspondence.IncomingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

public sealed class IncomingCorrespondenceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestPki _pki = TestPki.Create(Now);
    private readonly string _trust = Directory.CreateTempSubdirectory("motcua-trust-").FullName;
    private TestApp _app = default!;

    public async Task InitializeAsync()
    {
        _pki.WriteTrustFolder(_trust);
        _app = await TestApp.StartAsync(settings: new() { ["Signatures:TrustFolder"] = _trust });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _pki.Dispose();
        Directory.Delete(_trust, recursive: true);
    }

    private byte[] SignedLetter(string line = "V/v triển khai kế hoạch chuyển đổi số năm 2027") => SignedPdfBuilder.Sign(
        Scans.TextPdf(["ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Số: 125/UBND-VP", line]),
        _pki.IssueSigner("CN=Ủy ban nhân dân tỉnh Khánh Hòa, C=VN", Now.AddYears(-1), Now.AddYears(1)),
        new PdfSignatureOptions { SubFilter = PdfSubFilter.EtsiCadesDetached, SigningTime = Now });

    [Fact]
    public async Task A_letter_arrives_is_registered_directed_from_the_phone_passed_on_handled_and_finished()
    {
        using var phone = new Phone();
        await phone.RegisterAsync(_app, Users.Leader);
        var id = await ArriveAsync(_app, Letter(), SignedLetter());

        var arrived = await CheckedAsync(_app, id, Users.RecordsClerk);
        Assert.Equal("01", arrived.StatusCode);
        Assert.Equal("valid", arrived.Body.GetProperty("files")[0].GetProperty("signatureVerdict").GetString());

        var registered = await StepAsync(_app, id, "registration", Users.RecordsClerk, null, arrived.ETag);
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        Assert.Equal("03", registered.StatusCode);
        Assert.Equal(1, registered.Body.GetProperty("register").GetProperty("number").GetInt32());

        var due = InWorkingDays(5);
        var directed = await StepAsync(_app, id, "direction", Users.Leader,
            Direction(phone, [(id, registered.Version)], DemoData.CultureDepartment, due, "Giao Phòng Văn hóa - Xã hội chủ trì, tham mưu.",
                coHandlers: ["officer-002"]), registered.ETag);
        Assert.True(directed.Status == HttpStatusCode.OK, directed.Body.ToString());
        Assert.Equal("04", directed.StatusCode);
        Assert.Equal(DemoData.CultureDepartment, directed.Body.GetProperty("direction").GetProperty("leadUnit").GetString());

        var assigned = await StepAsync(_app, id, "assignment", Users.DepartmentHead, new { officer = Users.Officer.Id, dueDate = InWorkingDays(3), comment = "Anh Tuấn xử lý." },
            directed.ETag);
        Assert.True(assigned.Status == HttpStatusCode.OK, assigned.Body.ToString());
        Assert.Equal(Users.Officer.Id, assigned.Body.GetProperty("handling").GetProperty("assignee").GetString());

        var progress = await StepAsync(_app, id, "progress", Users.Officer, new { note = "Đã dự thảo văn bản trả lời." }, assigned.ETag);
        Assert.Equal("05", progress.StatusCode);
        var finished = await StepAsync(_app, id, "finish", Users.Officer,
            new { result = "Đã trả lời bằng công văn số 88/UBND-VHXH.", replyDocumentId = $"{DemoData.NhaTrangWard},{DateTime.UtcNow:yyyy/MM/dd},88/UBND-VHXH" }, progress.ETag);
        Assert.Equal("06", finished.StatusCode);
        Assert.False(finished.Body.GetProperty("handling").GetProperty("finishedLate").GetBoolean());
        Assert.True(finished.Body.GetProperty("historyIntact").GetBoolean());
        Assert.Equal(["finished", "progress", "assigned", "directed", "registered", "file-checked", "arrived"],
            finished.Body.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("action").GetString()));

        // A finished document is not directed again.
        var again = await StepAsync(_app, id, "direction", Users.Leader, Direction(phone, [(id, finished.Version)], DemoData.CultureDepartment, due, "Chỉ đạo lại."),
            finished.ETag);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("https://motcua.vn/problems/incoming-step-not-allowed", again.Body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Sixty_four_concurrent_registrations_take_numbers_one_to_sixty_four()
    {
        var ids = new List<string>();
        for (var i = 0; i < 64; i++) ids.Add(await ArriveAsync(_app, Letter(number: (200 + i).ToString()), SignedLetter()));
        var etags = new List<string>();
        foreach (var id in ids) etags.Add((await CheckedAsync(_app, id, Users.RecordsClerk)).ETag!);

        var answers = await Task.WhenAll(ids.Zip(etags).Select(p => StepAsync(_app, p.First, "registration", Users.RecordsClerk, null, p.Second)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(Enumerable.Range(1, 64), answers.Select(a => a.Body.GetProperty("register").GetProperty("number").GetInt32()).Order());
    }

    [Fact]
    public async Task The_same_document_is_received_once_and_a_second_registration_is_refused()
    {
        var id = await ArriveAsync(_app, Letter(number: "301"), SignedLetter());
        using var duplicate = await SendElectronicAsync(_app, Letter(number: "301"), SignedLetter());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        var arrived = await CheckedAsync(_app, id, Users.RecordsClerk);
        var first = await StepAsync(_app, id, "registration", Users.RecordsClerk, null, arrived.ETag);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var second = await StepAsync(_app, id, "registration", Users.RecordsClerk, null, first.ETag);
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        var stale = await StepAsync(_app, id, "registration", Users.RecordsClerk, null, arrived.ETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
    }

    [Fact]
    public async Task An_unsigned_electronic_letter_is_not_registered_but_returned_with_a_reason()
    {
        var id = await ArriveAsync(_app, Letter(number: "302"), Scans.TextPdf(["Công văn không ký số"]));
        var arrived = await CheckedAsync(_app, id, Users.RecordsClerk);
        var refused = await StepAsync(_app, id, "registration", Users.RecordsClerk, null, arrived.ETag);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);

        var returned = await StepAsync(_app, id, "return", Users.RecordsClerk, new { reason = "Văn bản điện tử chưa được ký số." }, arrived.ETag);
        Assert.Equal("02", returned.StatusCode);
        Assert.Equal("Văn bản điện tử chưa được ký số.", returned.Body.GetProperty("returnReason").GetString());
    }

    [Fact]
    public async Task Another_agency_never_sees_the_document_and_officials_cannot_act_out_of_turn()
    {
        var id = await ArriveAsync(_app, Letter(number: "303"), SignedLetter());
        var arrived = await CheckedAsync(_app, id, Users.RecordsClerk);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(_app, id, Users.OtherAgencyRecordsClerk)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(_app, id, Users.Citizen)).Status);
        using var list = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/agencies/{Ward}/incoming", Users.OtherAgencyRecordsClerk));
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);

        var written = await _app.CountWrittenAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await StepAsync(_app, id, "registration", Users.Officer, null, arrived.ETag)).Status);
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await StepAsync(_app, id, "registration", Users.RecordsClerk, null, null)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await StepAsync(_app, id, "registration", Users.RecordsClerk, new { summary = "a\u202Eb" }, arrived.ETag)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await StepAsync(_app, id, "registration", Users.RecordsClerk, new { numbr = "1" }, arrived.ETag)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await StepAsync(_app, "IN-khong-hop-le", "registration", Users.RecordsClerk, null, arrived.ETag)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await StepAsync(_app, id, "progress", Users.Officer, new { note = "Đã xem." }, arrived.ETag)).Status);
        Assert.Equal(written, await _app.CountWrittenAsync());
    }

    [Fact]
    public async Task Bad_arrivals_are_refused_and_nothing_is_written()
    {
        var written = await _app.CountWrittenAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await SendElectronicAsync(_app, Letter(), SignedLetter(), by: Users.Officer)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendElectronicAsync(_app, new { senderId = Sender, senderName = "x" }, SignedLetter())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendElectronicAsync(_app, new { senderId = Sender, unknown = 1 }, SignedLetter())).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendElectronicAsync(_app, Letter(), SignedLetter(), agency: "999.99.99.H99")).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await SendElectronicAsync(_app, Letter(), "không phải PDF"u8.ToArray())).StatusCode);
        using var secretElectronic = await SendElectronicAsync(_app, new { senderId = Sender, senderName = "UBND tỉnh", number = "1", notation = "A", documentDate = "2026-12-01",
            documentType = "Công văn", summary = "Mật", secret = true }, SignedLetter());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, secretElectronic.StatusCode);
        using var secretWithScan = await _app.Http.SendAsync(_app.Request(HttpMethod.Post, $"/api/agencies/{Ward}/incoming/paper", Users.RecordsClerk,
            Form(new { secret = true, summary = "Văn bản mật" }, ("mat.pdf", Scans.TextPdf(["MẬT"])))));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, secretWithScan.StatusCode);
        Assert.Equal(written, await _app.CountWrittenAsync());
    }

    [Fact]
    public async Task A_secret_paper_document_keeps_metadata_only_and_shows_to_its_handlers_only()
    {
        using var phone = new Phone();
        await phone.RegisterAsync(_app, Users.Leader);
        using var response = await _app.Http.SendAsync(_app.Request(HttpMethod.Post, $"/api/agencies/{Ward}/incoming/paper", Users.RecordsClerk,
            Form(new { secret = true, senderName = "Công an tỉnh Khánh Hòa", number = "12", notation = "CAT-PV01", documentDate = "2026-11-30",
                documentType = "Công văn", summary = "Về công tác bảo đảm an ninh", priority = 1 })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var arrived = await GetAsync(_app, id, Users.RecordsClerk);
        Assert.Equal(0, arrived.Body.GetProperty("files").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(_app, id, Users.Officer)).Status);
        var registered = await StepAsync(_app, id, "registration", Users.RecordsClerk, null, arrived.ETag);
        var directed = await StepAsync(_app, id, "direction", Users.Leader,
            Direction(phone, [(id, registered.Version)], Users.Officer.Id, InWorkingDays(2), "Đồng chí Tuấn xử lý."), registered.ETag);
        Assert.Equal(HttpStatusCode.OK, directed.Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_app, id, Users.Officer)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(_app, id, Users.OtherDepartmentOfficer)).Status);
    }

    [Fact]
    public async Task A_deputy_directs_several_documents_at_once_on_behalf_of_the_leader_and_the_history_says_so()
    {
        using var phone = new Phone();
        await phone.RegisterAsync(_app, Users.Deputy);
        var documents = new List<(string Id, int Version)>();
        foreach (var number in new[] { "401", "402" })
        {
            var id = await ArriveAsync(_app, Letter(number: number), SignedLetter());
            var arrived = await CheckedAsync(_app, id, Users.RecordsClerk);
            var registered = await StepAsync(_app, id, "registration", Users.RecordsClerk, null, arrived.ETag);
            documents.Add((id, registered.Version));
        }
        var due = InWorkingDays(4);

        using var withoutLeader = await _app.Http.SendAsync(_app.Request(HttpMethod.Post, "/api/incoming/directions", Users.Deputy,
            JsonContent.Create(Direction(phone, documents, DemoData.EconomyDepartment, due, "Phòng Kinh tế xử lý.", batch: true))));
        Assert.Equal(HttpStatusCode.BadRequest, withoutLeader.StatusCode);

        using var directed = await _app.Http.SendAsync(_app.Request(HttpMethod.Post, "/api/incoming/directions", Users.Deputy,
            JsonContent.Create(Direction(phone, documents, DemoData.EconomyDepartment, due, "Phòng Kinh tế xử lý.", onBehalfOf: Users.Leader.Id, batch: true))));
        Assert.True(directed.StatusCode == HttpStatusCode.OK, await directed.Content.ReadAsStringAsync());
        foreach (var (id, _) in documents)
        {
            var view = await GetAsync(_app, id, Users.Deputy);
            Assert.Equal("04", view.StatusCode);
            Assert.Equal(Users.Leader.Id, view.Body.GetProperty("direction").GetProperty("onBehalfOf").GetString());
            Assert.Contains($"Thay mặt {Users.Leader.Name}", view.Body.GetProperty("history")[0].GetProperty("comment").GetString());
        }
    }
}
