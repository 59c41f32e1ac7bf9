using System.Net;
using System.Text.Json;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Tests.Correspondence;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.FunctionApp.Tests.Signing;
using static MotCua.FunctionApp.Tests.Exchange.TwoDeployments;
using Answer = MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi.Answer;

namespace MotCua.FunctionApp.Tests.Exchange;

/// <summary>Liên thông between two deployments through the local exchange, end to end: documents, statuses, a reply, a recall.</summary>
public sealed class ExchangeTests
{
    [Fact]
    public async Task A_letter_travels_to_another_deployment_its_steps_come_back_as_statuses_its_reply_arrives_and_a_recall_cancels()
    {
        await using var both = await TwoDeployments.StartAsync();
        using var chairman = await CertifiedPhone.RegisterAsync(both.A, both.Setup.Pki, Users.Chairman);
        var letter = await OutgoingSetup.IssueAsync(both.A, chairman, Form("V/v cử cán bộ tham gia tập huấn chuyển đổi số"));
        var sentId = letter.Body.GetProperty("id").GetString()!;
        var number = letter.Body.GetProperty("numbered").GetProperty("symbol").GetString()!;

        // B receives it from the exchange, checks its signatures as any arrival, and A learns it arrived.
        var arrivedId = await AwaitingAsync(both.B, number);
        var arrived = await IncomingFlow.CheckedAsync(both.B, arrivedId, NeighbourClerk);
        Assert.Equal("valid", arrived.Body.GetProperty("files")[0].GetProperty("signatureVerdict").GetString());
        Assert.Equal(Ward, arrived.Body.GetProperty("senderId").GetString());
        await RecipientStatusAsync(both.A, sentId, "01");

        // B registers, its leader directs from the phone, the division handles and finishes: A sees each step.
        var registered = await IncomingFlow.StepAsync(both.B, arrivedId, "registration", NeighbourClerk, null, arrived.ETag);
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        await RecipientStatusAsync(both.A, sentId, "03");
        using var leaderPhone = new Phone();
        await leaderPhone.RegisterAsync(both.B, NeighbourLeader);
        var directed = await IncomingFlow.StepAsync(both.B, arrivedId, "direction", NeighbourLeader,
            IncomingFlow.Direction(leaderPhone, [(arrivedId, registered.Version)], DemoData.OrganisationDivision, IncomingFlow.InWorkingDays(5), "Giao Phòng Tổ chức, biên chế chủ trì."),
            registered.ETag);
        Assert.True(directed.Status == HttpStatusCode.OK, directed.Body.ToString());
        await RecipientStatusAsync(both.A, sentId, "04");
        var assigned = await IncomingFlow.StepAsync(both.B, arrivedId, "assignment", NeighbourHead, new { officer = NeighbourOfficer.Id, dueDate = IncomingFlow.InWorkingDays(3) }, directed.ETag);
        var progress = await IncomingFlow.StepAsync(both.B, arrivedId, "progress", NeighbourOfficer, new { note = "Đang tổng hợp danh sách cán bộ." }, assigned.ETag);
        Assert.Equal("05", progress.StatusCode);
        await RecipientStatusAsync(both.A, sentId, "05");
        var finished = await IncomingFlow.StepAsync(both.B, arrivedId, "finish", NeighbourOfficer, new { result = "Đã cử cán bộ, trả lời bằng công văn." }, progress.ETag);
        Assert.Equal("06", finished.StatusCode);
        await RecipientStatusAsync(both.A, sentId, "06");

        // B's answer names A's letter; A receives it as an incoming document linked to its own letter.
        using var neighbourPhone = await CertifiedPhone.RegisterAsync(both.B, both.Setup.Pki, NeighbourLeader);
        var reply = await OutgoingSetup.IssueAsync(both.B, neighbourPhone, new
        {
            documentType = "Công văn", summary = "V/v cử cán bộ tham gia tập huấn (trả lời)", recipients = new[] { new { agency = Ward } },
            signer = NeighbourLeader.Id, priority = 0, answersIncomingId = arrivedId, otherRecipients = new[] { "Lưu: VT, TCBC." },
        }, drafter: NeighbourLeader, signer: NeighbourLeader, clerk: NeighbourClerk, agency: HomeAffairs);
        var replySymbol = reply.Body.GetProperty("numbered").GetProperty("symbol").GetString()!;
        var replyAtA = await AwaitingAsync(both.A, replySymbol, Users.RecordsClerk, Ward);
        var linked = await Eventually.GetAsync(async () =>
        {
            var current = await OutgoingFlow.GetAsync(both.A, sentId, Users.RecordsClerk);
            return OutgoingFlow.Recipient(current, HomeAffairs).GetProperty("replyIncomingId").GetString() == replyAtA ? current : null;
        }, "A's letter to learn of B's reply");
        Assert.Equal("Sở Nội vụ tỉnh Khánh Hòa", OutgoingFlow.Recipient(linked, HomeAffairs).GetProperty("name").GetString());
        await RecipientStatusAsync(both.B, reply.Body.GetProperty("id").GetString()!, "01", NeighbourClerk);

        // A recalls a second letter; B cancels it and answers 15; B can no longer act on it.
        var second = await OutgoingSetup.IssueAsync(both.A, chairman, Form("V/v tổ chức hội nghị (ghi sai ngày)"));
        var secondId = second.Body.GetProperty("id").GetString()!;
        var secondAtB = await AwaitingAsync(both.B, second.Body.GetProperty("numbered").GetProperty("symbol").GetString()!);
        var arrivedSecond = await RecipientStatusAsync(both.A, secondId, "01");
        var recalled = await OutgoingFlow.StepAsync(both.A, secondId, "recall", Users.RecordsClerk, new { reason = "Văn bản ghi sai ngày hội nghị." }, arrivedSecond.ETag);
        Assert.Equal("recalled", recalled.Body.GetProperty("status").GetProperty("code").GetString());
        var answered = await RecipientStatusAsync(both.A, secondId, "15");
        Assert.Equal("Văn bản đã được hủy theo yêu cầu thu hồi.", OutgoingFlow.Recipient(answered, HomeAffairs).GetProperty("reason").GetString());
        var cancelled = await IncomingFlow.GetAsync(both.B, secondAtB, NeighbourClerk);
        var refused = await IncomingFlow.StepAsync(both.B, secondAtB, "registration", NeighbourClerk, null, cancelled.ETag);
        Assert.Equal((HttpStatusCode.Conflict, "Văn bản đã bị thu hồi"), (refused.Status, refused.Body.GetProperty("title").GetString()));

        // Every delivery was fetched once and acknowledged; nothing waits at the exchange.
        Assert.Empty(both.Exchange.Received(SystemA, null));
        Assert.Empty(both.Exchange.Received(SystemB, null));
    }

    [Fact]
    public async Task An_update_is_answered_15_a_recall_of_a_finished_document_16_a_PDF_whose_signature_fails_arrives_with_its_verdict_and_an_unknown_agency_is_not_sent_to()
    {
        await using var both = await TwoDeployments.StartAsync();
        using var chairman = await CertifiedPhone.RegisterAsync(both.A, both.Setup.Pki, Users.Chairman);

        // An update of the issued letter's summary and urgency reaches B and is answered 15.
        var letter = await OutgoingSetup.IssueAsync(both.A, chairman, Form("V/v góp ý dự thảo quy chế"));
        var id = letter.Body.GetProperty("id").GetString()!;
        var atB = await AwaitingAsync(both.B, letter.Body.GetProperty("numbered").GetProperty("symbol").GetString()!);
        var arrived = await RecipientStatusAsync(both.A, id, "01");
        var updated = await OutgoingFlow.StepAsync(both.A, id, "update", Users.RecordsClerk,
            new { reason = "Bổ sung thời hạn góp ý vào trích yếu.", summary = "V/v góp ý dự thảo quy chế trước ngày 20/12/2026", priority = 2 }, arrived.ETag);
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        await Eventually.GetAsync(async () => OutgoingFlow.Recipient(await OutgoingFlow.GetAsync(both.A, id, Users.RecordsClerk), HomeAffairs).GetProperty("updateAnswer")
            is { ValueKind: JsonValueKind.Object } answer && answer.GetProperty("code").GetString() == "15" ? "15" : null, "B's answer to the update");
        var atBUpdated = await IncomingFlow.GetAsync(both.B, atB, NeighbourClerk);
        Assert.Equal(("V/v góp ý dự thảo quy chế trước ngày 20/12/2026", 2),
            (atBUpdated.Body.GetProperty("summary").GetString(), atBUpdated.Body.GetProperty("priority").GetProperty("value").GetInt32()));

        // B finishes it; a recall then comes too late and is answered 16, and the document stays finished.
        var checkedAtB = await IncomingFlow.CheckedAsync(both.B, atB, NeighbourClerk);
        var registered = await IncomingFlow.StepAsync(both.B, atB, "registration", NeighbourClerk, null, checkedAtB.ETag);
        using var leaderPhone = new Phone();
        await leaderPhone.RegisterAsync(both.B, NeighbourLeader);
        var directed = await IncomingFlow.StepAsync(both.B, atB, "direction", NeighbourLeader,
            IncomingFlow.Direction(leaderPhone, [(atB, registered.Version)], NeighbourOfficer.Id, IncomingFlow.InWorkingDays(5), "Đồng chí Anh trả lời."), registered.ETag);
        Assert.True(directed.Status == HttpStatusCode.OK, directed.Body.ToString());
        var finished = await IncomingFlow.StepAsync(both.B, atB, "finish", NeighbourOfficer, new { result = "Đã góp ý bằng văn bản." }, directed.ETag);
        Assert.Equal("06", finished.StatusCode);
        var handled = await RecipientStatusAsync(both.A, id, "06");
        var recalled = await OutgoingFlow.StepAsync(both.A, id, "recall", Users.RecordsClerk, new { reason = "Thu hồi để ban hành lại." }, handled.ETag);
        Assert.Equal(HttpStatusCode.OK, recalled.Status);
        var refused = await RecipientStatusAsync(both.A, id, "16");
        Assert.Equal("Văn bản đã được giải quyết xong, không thu hồi được.", OutgoingFlow.Recipient(refused, HomeAffairs).GetProperty("reason").GetString());
        Assert.Equal("06", (await IncomingFlow.GetAsync(both.B, atB, NeighbourClerk)).StatusCode);

        // A PDF signed by an authority B does not trust is received, its verdict shown for the records clerk to judge.
        var stranger = both.Setup.Pki.IssueSigner("CN=Cơ quan lạ, C=VN", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), issuer: both.Setup.Pki.RogueRoot);
        var untrustedPdf = SignedPdfBuilder.Sign(Scans.TextPdf(["ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG", "Số: 15/UBND-VHXH", "V/v phối hợp"]), stranger,
            new PdfSignatureOptions { SubFilter = PdfSubFilter.EtsiCadesDetached, SigningTime = DateTimeOffset.UtcNow });
        var seal = both.Setup.Pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var package = EdxmlPackages.Letter() with { Header = EdxmlPackages.Letter().Header with { To = [new("000.00.05.H56", "Sở Nội vụ tỉnh Khánh Hòa")] } };
        await both.SendRawAsync("pdf-untrusted", "edoc", await EdxmlPackages.WriteAsync(package, seal, _ => untrustedPdf));
        var withVerdict = await IncomingFlow.CheckedAsync(both.B, await AwaitingAsync(both.B, "15/UBND-VHXH"), NeighbourClerk);
        Assert.Equal("untrusted-chain", withVerdict.Body.GetProperty("files")[0].GetProperty("signatureVerdict").GetString());

        // An agency the exchange does not list is not sent to; the sender's row says why.
        var unknown = await OutgoingSetup.IssueAsync(both.A, chairman, new
        {
            documentType = "Công văn", summary = "V/v gửi cơ quan chưa kết nối", recipients = new[] { new { agency = "000.00.77.H99", name = "Cơ quan chưa kết nối trục" } },
            signer = Users.Chairman.Id, priority = 0, otherRecipients = new[] { "Lưu: VT." },
        });
        var noted = await Eventually.GetAsync(async () =>
        {
            var current = await OutgoingFlow.GetAsync(both.A, unknown.Body.GetProperty("id").GetString()!, Users.RecordsClerk);
            return OutgoingFlow.Recipient(current, "000.00.77.H99").GetProperty("reason").GetString() is { } reason ? reason : null;
        }, "the sender's row to say why");
        Assert.Contains("không có trong danh sách cơ quan của trục liên thông", noted);
        Assert.DoesNotContain(both.Exchange.Sent(SystemA, null), s => s.Deliveries.Any(d => d.To == "000.00.77.H99"));
    }

    private static object Form(string summary) => new
    {
        documentType = "Công văn", summary, recipients = new[] { new { agency = HomeAffairs, name = "Sở Nội vụ tỉnh Khánh Hòa" } }, signer = Users.Chairman.Id, priority = 1,
        dueDate = IncomingFlow.InWorkingDays(10), otherRecipients = new[] { "Lưu: VT, VHXH." },
    };

    /// <summary>The incoming document at <paramref name="agency"/> whose number is <paramref name="symbol"/>, once the pull brought it.</summary>
    private static Task<string> AwaitingAsync(TestApp app, string symbol, Auth.CurrentUser? clerk = null, string agency = HomeAffairs) => Eventually.GetAsync(async () =>
    {
        var list = await IncomingFlow.GetJsonAsync(app, $"/api/agencies/{agency}/incoming?list=awaiting-registration", clerk ?? NeighbourClerk);
        return list.Body.GetProperty("items").EnumerateArray()
            .Where(i => $"{i.GetProperty("number").GetString()}/{i.GetProperty("notation").GetString()}" == symbol)
            .Select(i => i.GetProperty("id").GetString()).FirstOrDefault();
    }, $"{symbol} to arrive through the exchange", seconds: 60);

    private static Task<Answer> RecipientStatusAsync(TestApp app, string id, string code, Auth.CurrentUser? clerk = null) => Eventually.GetAsync(async () =>
    {
        var current = await OutgoingFlow.GetAsync(app, id, clerk ?? Users.RecordsClerk);
        Assert.True(current.Status == HttpStatusCode.OK, current.Body.ToString());
        var recipient = current.Body.GetProperty("recipients")[0];
        return recipient.GetProperty("status").ValueKind == JsonValueKind.Object && recipient.GetProperty("status").GetProperty("code").GetString() == code ? current : null;
    }, $"{id}'s recipient to reach {code}", seconds: 60);
}
