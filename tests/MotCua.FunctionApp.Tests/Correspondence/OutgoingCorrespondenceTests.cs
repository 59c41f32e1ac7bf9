using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.FunctionApp.Tests.Signing;
using static MotCua.FunctionApp.Tests.Correspondence.OutgoingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// An agency's own document from the officer's draft to its recipients: reviewed, signed on the
/// chairman's phone, numbered and sealed by the records clerk, delivered to another agency of the
/// deployment as an incoming document whose steps the sender follows, and recalled.
/// </summary>
public sealed class OutgoingCorrespondenceTests : IAsyncLifetime
{
    private readonly OutgoingSetup _setup = new();
    private TestApp _app = default!;

    private TestPki _pki => _setup.Pki;

    public async Task InitializeAsync() => _app = await _setup.StartAsync();

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _setup.Dispose();
    }

    [Fact]
    public async Task A_letter_is_reviewed_signed_on_the_phone_numbered_sealed_delivered_followed_and_recalled()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var drafted = await DraftAsync(_app, Letter(recipients: [Commune, "outside"]));
        Assert.Equal(HttpStatusCode.Created, drafted.Status);
        var id = drafted.Body.GetProperty("id").GetString()!;
        Assert.Equal("draft", drafted.Body.GetProperty("status").GetProperty("code").GetString());

        // The department head returns the first draft; the officer puts a new file in and submits again.
        var put = await PutDocumentAsync(_app, id, Users.Officer, Pdf("V/v tổ chức Ngày hội (dự thảo 1)"), drafted.ETag);
        var submitted = await StepAsync(_app, id, "submission", Users.Officer, null, put.ETag);
        Assert.Equal("in-review", submitted.Body.GetProperty("status").GetProperty("code").GetString());
        var returned = await StepAsync(_app, id, "review", Users.DepartmentHead, new { decision = "return", comment = "Bổ sung thời gian tổ chức." }, submitted.ETag);
        Assert.Equal(("returned", "Bổ sung thời gian tổ chức."), (returned.Body.GetProperty("status").GetProperty("code").GetString(), returned.Body.GetProperty("lastComment").GetString()));
        var second = await PutDocumentAsync(_app, id, Users.Officer, Pdf(), returned.ETag);
        Assert.Equal(2, second.Body.GetProperty("revision").GetInt32());
        submitted = await StepAsync(_app, id, "submission", Users.Officer, new { comment = "Đã bổ sung." }, second.ETag);
        var passed = await StepAsync(_app, id, "review", Users.DepartmentHead, new { decision = "pass" }, submitted.ETag);
        Assert.Equal("awaiting-signature", passed.Body.GetProperty("status").GetProperty("code").GetString());

        var signature = await PhoneSignatureAsync(_app, id, phone, Users.Chairman);
        var signed = await StepAsync(_app, id, "approval", Users.Chairman, new { decision = "sign", signature }, passed.ETag);
        Assert.Equal(HttpStatusCode.OK, signed.Status);
        Assert.Equal(("signed", "TM. ỦY BAN NHÂN DÂN", "Chủ tịch"), (signed.Body.GetProperty("status").GetProperty("code").GetString(),
            signed.Body.GetProperty("signed").GetProperty("signingAuthority").GetString(), signed.Body.GetProperty("signed").GetProperty("position").GetString()));

        var numbered = await StepAsync(_app, id, "issue", Users.RecordsClerk, null, signed.ETag);
        Assert.Equal(HttpStatusCode.OK, numbered.Status);
        var number = numbered.Body.GetProperty("numbered");
        Assert.Equal(("01/UBND-VHXH", "general"), (number.GetProperty("symbol").GetString(), number.GetProperty("series").GetString()));
        var again = await StepAsync(_app, id, "issue", Users.RecordsClerk, null, numbered.ETag);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);

        var issued = await IssuedAsync(_app, id);
        using (var download = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/outgoing/{id}/file", Users.Officer)))
        {
            var pdf = await download.Content.ReadAsByteArrayAsync();
            var pdfsig = await Pdfsig.RunAsync(pdf, skipCertificateValidation: true);
            Assert.Equal(2, pdfsig.Signatures.Count);
            Assert.All(pdfsig.Signatures, s => Assert.Equal("Signature is Valid.", s.SignatureValidation));
            Assert.Equal(("Lê Văn Hùng", "UBND phường Nha Trang"), (pdfsig.Signatures[0].SignerCommonName, pdfsig.Signatures[1].SignerCommonName));
            Assert.True(pdfsig.Signatures[1].TotalDocumentSigned);
            // The records clerk's number and date were filled in after the chairman signed, in fields his signature permits filling.
            var text = await Tools.PdfTextAsync(pdf);
            var issueDay = DateOnly.Parse(number.GetProperty("issueDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Matches(@"Số:\s+01\s?/UBND-VHXH", text);
            Assert.Contains($"ngày {issueDay.Day:D2} tháng {issueDay.Month:D2} năm {issueDay.Year}", text);
        }

        // The commune receives it as an incoming document; MotCua's own check of its signatures finds both valid.
        var delivered = await Eventually.GetAsync(async () =>
        {
            var current = await GetAsync(_app, id, Users.RecordsClerk);
            return Recipient(current, Commune).GetProperty("incomingId").GetString() is { } incomingId ? incomingId : null;
        }, "the delivery to the commune");
        var arrived = await IncomingFlow.CheckedAsync(_app, delivered, Users.OtherAgencyRecordsClerk);
        Assert.Equal(("01", "UBND-VHXH", id), (arrived.Body.GetProperty("number").GetString(), arrived.Body.GetProperty("notation").GetString(),
            arrived.Body.GetProperty("origin").GetProperty("outgoingId").GetString()));
        Assert.Equal("valid", arrived.Body.GetProperty("files")[0].GetProperty("signatureVerdict").GetString());
        var outside = Recipient(await GetAsync(_app, id, Users.RecordsClerk), "000.00.99.G01");
        Assert.Equal(JsonValueKind.Null, outside.GetProperty("status").ValueKind);

        var registered = await IncomingFlow.StepAsync(_app, delivered, "registration", Users.OtherAgencyRecordsClerk, null, arrived.ETag);
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        var followed = await Eventually.GetAsync(async () =>
        {
            var current = await GetAsync(_app, id, Users.Officer);
            return Recipient(current, Commune).GetProperty("status").GetProperty("code").GetString() == "03" ? current : null;
        }, "the sender to see the commune's registration");
        Assert.Equal("Đã vào sổ", Recipient(followed, Commune).GetProperty("status").GetProperty("name").GetString());

        var noReason = await StepAsync(_app, id, "recall", Users.RecordsClerk, new { reason = " " }, followed.ETag);
        Assert.Equal((HttpStatusCode.BadRequest, "reason"), (noReason.Status, noReason.Body.GetProperty("errors")[0].GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await StepAsync(_app, id, "recall", Users.Officer, new { reason = "Sai ngày." }, followed.ETag)).Status);
        var recalled = await StepAsync(_app, id, "recall", Users.RecordsClerk, new { reason = "Văn bản ghi sai ngày tổ chức." }, followed.ETag);
        Assert.Equal("recalled", recalled.Body.GetProperty("status").GetProperty("code").GetString());
        await Eventually.GetAsync(async () =>
        {
            var current = await GetAsync(_app, id, Users.RecordsClerk);
            return Recipient(current, Commune).GetProperty("status").GetProperty("code").GetString() == "15" ? current : null;
        }, "the commune to cancel the recalled document");
        var cancelled = await IncomingFlow.GetAsync(_app, delivered, Users.OtherAgencyRecordsClerk);
        Assert.Equal("Văn bản ghi sai ngày tổ chức.", cancelled.Body.GetProperty("origin").GetProperty("recallReason").GetString());
        var refused = await IncomingFlow.StepAsync(_app, delivered, "return", Users.OtherAgencyRecordsClerk, new { reason = "Không thuộc thẩm quyền." }, cancelled.ETag);
        Assert.Equal((HttpStatusCode.Conflict, "Văn bản đã bị thu hồi"), (refused.Status, refused.Body.GetProperty("title").GetString()));
        Assert.Contains("Văn bản ghi sai ngày tổ chức.", refused.Body.GetProperty("detail").GetString());
        Assert.Equal("15", Recipient(await GetAsync(_app, id, Users.RecordsClerk), Commune).GetProperty("status").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_reply_from_the_commune_links_back_to_the_ward_letter_on_both_sides()
    {
        using var chairman = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        using var communeLeader = await CertifiedPhone.RegisterAsync(_app, _pki, Users.OtherAgencyLeader);
        var letter = await SignedAsync(_app, chairman);
        var letterId = letter.Body.GetProperty("id").GetString()!;
        await StepAsync(_app, letterId, "issue", Users.RecordsClerk, null, letter.ETag);
        var received = await Eventually.GetAsync(async () =>
            Recipient(await GetAsync(_app, letterId, Users.RecordsClerk), Commune).GetProperty("incomingId").GetString(), "the delivery to the commune");

        // The commune's officer answers the letter it received; the commune's leader signs; its records clerk issues.
        var reply = await DraftAsync(_app, new
        {
            documentType = "Công văn", summary = "V/v phối hợp tổ chức Ngày hội Đại đoàn kết", recipients = new[] { new { agency = Ward } },
            signer = Users.OtherAgencyLeader.Id, answersIncomingId = received,
        }, Users.OtherAgencyOfficer, Commune);
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        var replyId = reply.Body.GetProperty("id").GetString()!;
        var put = await PutDocumentAsync(_app, replyId, Users.OtherAgencyOfficer, Pdf("V/v phối hợp tổ chức Ngày hội"), reply.ETag);
        var submitted = await StepAsync(_app, replyId, "submission", Users.OtherAgencyOfficer, null, put.ETag);
        Assert.Equal("awaiting-signature", submitted.Body.GetProperty("status").GetProperty("code").GetString());
        var signed = await StepAsync(_app, replyId, "approval", Users.OtherAgencyLeader,
            new { decision = "sign", signature = await PhoneSignatureAsync(_app, replyId, communeLeader, Users.OtherAgencyLeader) }, submitted.ETag);
        var numbered = await StepAsync(_app, replyId, "issue", Users.OtherAgencyRecordsClerk, null, signed.ETag);
        Assert.Equal("01/UBND-VP", numbered.Body.GetProperty("numbered").GetProperty("symbol").GetString());
        Assert.Equal(received, numbered.Body.GetProperty("answersIncomingId").GetString());

        var answered = await Eventually.GetAsync(async () =>
        {
            var current = await GetAsync(_app, letterId, Users.Officer);
            return Recipient(current, Commune).GetProperty("replyIncomingId").GetString() is { } replyIncoming ? replyIncoming : null;
        }, "the ward's letter to learn of the reply");
        var arrivedReply = await IncomingFlow.GetAsync(_app, answered, Users.RecordsClerk);
        Assert.Equal((replyId, letterId), (arrivedReply.Body.GetProperty("origin").GetProperty("outgoingId").GetString(),
            arrivedReply.Body.GetProperty("origin").GetProperty("inReplyToOutgoingId").GetString()));
    }

    [Fact]
    public async Task A_deputy_signs_for_the_chairman_and_the_sender_sees_the_recipient_refuse_with_its_reason()
    {
        using var deputy = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Deputy);
        var drafted = await DraftAsync(_app, new { documentType = "GM", summary = "Mời dự hội nghị sơ kết", recipients = new[] { new { agency = Commune } }, signer = Users.Deputy.Id });
        var id = drafted.Body.GetProperty("id").GetString()!;
        Assert.Equal("Giấy mời", drafted.Body.GetProperty("documentType").GetString());
        var put = await PutDocumentAsync(_app, id, Users.Officer, Pdf("Mời dự hội nghị sơ kết"), drafted.ETag);
        var submitted = await StepAsync(_app, id, "submission", Users.Officer, null, put.ETag);
        var passed = await StepAsync(_app, id, "review", Users.DepartmentHead, new { decision = "pass" }, submitted.ETag);
        var signed = await StepAsync(_app, id, "approval", Users.Deputy, new { decision = "sign", signature = await PhoneSignatureAsync(_app, id, deputy, Users.Deputy) }, passed.ETag);
        Assert.Equal(("KT. CHỦ TỊCH", "Phó Chủ tịch"), (signed.Body.GetProperty("signed").GetProperty("signingAuthority").GetString(),
            signed.Body.GetProperty("signed").GetProperty("position").GetString()));
        var numbered = await StepAsync(_app, id, "issue", Users.RecordsClerk, null, signed.ETag);
        Assert.Equal("01/GM-UBND", numbered.Body.GetProperty("numbered").GetProperty("symbol").GetString());

        var received = await Eventually.GetAsync(async () =>
            Recipient(await GetAsync(_app, id, Users.RecordsClerk), Commune).GetProperty("incomingId").GetString(), "the delivery to the commune");
        var arrived = await IncomingFlow.CheckedAsync(_app, received, Users.OtherAgencyRecordsClerk);
        var returned = await IncomingFlow.StepAsync(_app, received, "return", Users.OtherAgencyRecordsClerk, new { reason = "Gửi nhầm cơ quan." }, arrived.ETag);
        Assert.Equal(HttpStatusCode.OK, returned.Status);
        var refused = await Eventually.GetAsync(async () =>
        {
            var row = Recipient(await GetAsync(_app, id, Users.Officer), Commune);
            return row.GetProperty("status").GetProperty("code").GetString() == "02" ? row.GetRawText() : null;
        }, "the sender to see the refusal");
        Assert.Contains("Gửi nhầm cơ quan.", refused);
        Assert.Contains("Bị từ chối", refused);
    }

    [Fact]
    public async Task A_draft_that_changed_after_the_signature_was_prepared_is_not_signed()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var drafted = await DraftAsync(_app, Letter());
        var id = drafted.Body.GetProperty("id").GetString()!;
        var put = await PutDocumentAsync(_app, id, Users.Officer, Pdf(), drafted.ETag);
        var submitted = await StepAsync(_app, id, "submission", Users.Officer, null, put.ETag);
        var passed = await StepAsync(_app, id, "review", Users.DepartmentHead, new { decision = "pass" }, submitted.ETag);
        var stale = await PhoneSignatureAsync(_app, id, phone, Users.Chairman);
        var returned = await StepAsync(_app, id, "approval", Users.Chairman, new { decision = "return", comment = "Sửa lại nơi nhận." }, passed.ETag);
        var changed = await PutDocumentAsync(_app, id, Users.Officer, Pdf("V/v tổ chức Ngày hội (sửa)"), returned.ETag);
        submitted = await StepAsync(_app, id, "submission", Users.Officer, null, changed.ETag);
        passed = await StepAsync(_app, id, "review", Users.DepartmentHead, new { decision = "pass" }, submitted.ETag);

        var refused = await StepAsync(_app, id, "approval", Users.Chairman, new { decision = "sign", signature = stale }, passed.ETag);
        Assert.Equal((HttpStatusCode.Conflict, "outgoing-draft-changed"), (refused.Status, ProblemType(refused)));
        var forged = await StepAsync(_app, id, "approval", Users.Chairman,
            new { decision = "sign", signature = await PhoneSignatureAsync(_app, id, phone, Users.Chairman, d => [.. d.Reverse()]) }, passed.ETag);
        Assert.Equal((HttpStatusCode.Forbidden, "signature-refused"), (forged.Status, ProblemType(forged)));
        var byOfficer = await StepAsync(_app, id, "approval", Users.Officer, new { decision = "sign", signature = stale }, passed.ETag);
        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.Status);

        var current = await GetAsync(_app, id, Users.Officer);
        Assert.Equal(("awaiting-signature", passed.Body.GetProperty("version").GetInt32()),
            (current.Body.GetProperty("status").GetProperty("code").GetString(), current.Body.GetProperty("version").GetInt32()));
        Assert.Equal(JsonValueKind.Null, current.Body.GetProperty("signed").ValueKind);
    }

    [Fact]
    public async Task A_secret_draft_is_seen_by_the_department_head_who_reviews_it_and_not_by_other_officers()
    {
        var drafted = await DraftAsync(_app, new { documentType = "Báo cáo", summary = "Báo cáo tình hình an ninh", recipients = Array.Empty<object>(), signer = Users.Chairman.Id,
            secret = true, otherRecipients = new[] { "Công an tỉnh Khánh Hòa (bản giấy)." } });
        var id = drafted.Body.GetProperty("id").GetString()!;
        var put = await PutDocumentAsync(_app, id, Users.Officer, Pdf("Báo cáo tình hình an ninh"), drafted.ETag);
        var submitted = await StepAsync(_app, id, "submission", Users.Officer, null, put.ETag);
        Assert.Equal("in-review", submitted.Body.GetProperty("status").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_app, id, Users.DepartmentHead)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(_app, id, Users.OtherDepartmentOfficer)).Status);
        using var list = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/agencies/{Ward}/outgoing?list=awaiting-review", Users.DepartmentHead));
        Assert.Contains(id, await list.Content.ReadAsStringAsync());
        var passed = await StepAsync(_app, id, "review", Users.DepartmentHead, new { decision = "pass" }, submitted.ETag);
        Assert.Equal("awaiting-signature", passed.Body.GetProperty("status").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_replacement_recalls_the_document_it_replaces_at_every_recipient()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var first = await SignedAsync(_app, phone);
        var firstId = first.Body.GetProperty("id").GetString()!;
        await StepAsync(_app, firstId, "issue", Users.RecordsClerk, null, first.ETag);
        var firstReceived = await Eventually.GetAsync(async () =>
            Recipient(await GetAsync(_app, firstId, Users.RecordsClerk), Commune).GetProperty("incomingId").GetString(), "the first delivery");
        var notIssued = await DraftAsync(_app, new { documentType = "Công văn", summary = "V/v khác", recipients = new[] { new { agency = Commune } }, signer = Users.Chairman.Id });
        var wrong = await DraftAsync(_app, new { documentType = "Công văn", summary = "V/v thay thế", recipients = new[] { new { agency = Commune } }, signer = Users.Chairman.Id,
            replaces = notIssued.Body.GetProperty("id").GetString() });
        Assert.Equal(("invalid-fields", "replaces"), (ProblemType(wrong), wrong.Body.GetProperty("errors")[0].GetProperty("field").GetString()));

        var second = await SignedAsync(_app, phone, new { documentType = "Công văn", summary = "V/v tổ chức Ngày hội (thay thế)", recipients = new[] { new { agency = Commune } },
            signer = Users.Chairman.Id, replaces = firstId });
        var secondId = second.Body.GetProperty("id").GetString()!;
        var numbered = await StepAsync(_app, secondId, "issue", Users.RecordsClerk, null, second.ETag);
        var symbol = numbered.Body.GetProperty("numbered").GetProperty("symbol").GetString();
        var replaced = await Eventually.GetAsync(async () =>
        {
            var current = await GetAsync(_app, firstId, Users.RecordsClerk);
            return Recipient(current, Commune).GetProperty("status").GetProperty("code").GetString() == "15" ? current : null;
        }, "the replaced document to be recalled at the commune");
        Assert.Equal(("recalled", secondId), (replaced.Body.GetProperty("status").GetProperty("code").GetString(), replaced.Body.GetProperty("replacedBy").GetString()));
        var cancelled = await IncomingFlow.GetAsync(_app, firstReceived!, Users.OtherAgencyRecordsClerk);
        Assert.Equal($"Được thay thế bằng văn bản số {symbol}.", cancelled.Body.GetProperty("origin").GetProperty("recallReason").GetString());
        await Eventually.GetAsync(async () =>
            Recipient(await GetAsync(_app, secondId, Users.RecordsClerk), Commune).GetProperty("incomingId").GetString(), "the replacement's delivery");
    }

    [Fact]
    public async Task Attachments_are_sealed_with_the_copy_stamp_and_delivered_with_the_document()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var drafted = await DraftAsync(_app, Letter());
        var id = drafted.Body.GetProperty("id").GetString()!;
        var put = await PutDocumentAsync(_app, id, Users.Officer, Pdf(), drafted.ETag);
        var skipped = await PutAttachmentAsync(_app, id, 2, Users.Officer, Pdf("Phụ lục"), put.ETag);
        Assert.Equal(HttpStatusCode.BadRequest, skipped.Status);
        var attached = await PutAttachmentAsync(_app, id, 1, Users.Officer, SignedPdfBuilder.CreatePdf(["DANH SACH DAI BIEU", "Phu luc kem theo Cong van"]), put.ETag);
        Assert.Equal(HttpStatusCode.OK, attached.Status);
        Assert.Equal(("phu-luc.pdf", 2), (attached.Body.GetProperty("attachments")[0].GetProperty("fileName").GetString(), attached.Body.GetProperty("revision").GetInt32()));
        var submitted = await StepAsync(_app, id, "submission", Users.Officer, null, attached.ETag);
        var passed = await StepAsync(_app, id, "review", Users.DepartmentHead, new { decision = "pass" }, submitted.ETag);
        var signed = await StepAsync(_app, id, "approval", Users.Chairman, new { decision = "sign", signature = await PhoneSignatureAsync(_app, id, phone, Users.Chairman) }, passed.ETag);
        await StepAsync(_app, id, "issue", Users.RecordsClerk, null, signed.ETag);
        await IssuedAsync(_app, id);

        using var download = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/outgoing/{id}/attachments/1", Users.Officer));
        var pdf = await download.Content.ReadAsByteArrayAsync();
        var pdfsig = await Pdfsig.RunAsync(pdf, skipCertificateValidation: true);
        Assert.Equal("UBND phường Nha Trang", Assert.Single(pdfsig.Signatures).SignerCommonName);
        Assert.True(pdfsig.Signatures[0].TotalDocumentSigned);

        var received = await Eventually.GetAsync(async () =>
            Recipient(await GetAsync(_app, id, Users.RecordsClerk), Commune).GetProperty("incomingId").GetString(), "the delivery to the commune");
        var arrived = await IncomingFlow.CheckedAsync(_app, received, Users.OtherAgencyRecordsClerk);
        Assert.Equal(["cong-van.pdf", "phu-luc.pdf"], arrived.Body.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("fileName").GetString()).Order());
        Assert.All(arrived.Body.GetProperty("files").EnumerateArray(), f => Assert.Equal("valid", f.GetProperty("signatureVerdict").GetString()));
    }

    [Fact]
    public async Task An_update_of_an_issued_document_reaches_the_recipient_which_answers_15()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var signed = await SignedAsync(_app, phone);
        var id = signed.Body.GetProperty("id").GetString()!;
        var early = await StepAsync(_app, id, "update", Users.RecordsClerk, new { reason = "Đổi trích yếu.", summary = "V/v mới" }, signed.ETag);
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        await StepAsync(_app, id, "issue", Users.RecordsClerk, null, signed.ETag);
        await IssuedAsync(_app, id);
        var received = await Eventually.GetAsync(async () =>
            Recipient(await GetAsync(_app, id, Users.RecordsClerk), Commune).GetProperty("incomingId").GetString(), "the delivery to the commune");
        var issued = await GetAsync(_app, id, Users.RecordsClerk);
        var nothing = await StepAsync(_app, id, "update", Users.RecordsClerk, new { reason = "Không đổi gì." }, issued.ETag);
        Assert.Equal(HttpStatusCode.BadRequest, nothing.Status);
        var byOfficer = await StepAsync(_app, id, "update", Users.Officer, new { reason = "Đổi độ khẩn.", priority = 1 }, issued.ETag);
        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.Status);

        var updated = await StepAsync(_app, id, "update", Users.RecordsClerk,
            new { reason = "Bổ sung thời gian tổ chức vào trích yếu.", summary = "V/v tổ chức Ngày hội Đại đoàn kết ngày 15/12/2026", priority = 1 }, issued.ETag);
        Assert.Equal(("issued", 1), (updated.Body.GetProperty("status").GetProperty("code").GetString(), updated.Body.GetProperty("priority").GetProperty("value").GetInt32()));
        await Eventually.GetAsync(async () =>
            Recipient(await GetAsync(_app, id, Users.RecordsClerk), Commune).GetProperty("updateAnswer") is { ValueKind: JsonValueKind.Object } answer
                && answer.GetProperty("code").GetString() == "15" ? "15" : null, "the commune's answer to the update");
        var atCommune = await IncomingFlow.GetAsync(_app, received, Users.OtherAgencyRecordsClerk);
        Assert.Equal(("V/v tổ chức Ngày hội Đại đoàn kết ngày 15/12/2026", 1),
            (atCommune.Body.GetProperty("summary").GetString(), atCommune.Body.GetProperty("priority").GetProperty("value").GetInt32()));
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_and_writes_nothing()
    {
        var missing = await DraftAsync(_app, new { documentType = "Thư tình", summary = "", recipients = new[] { new { agency = "không hợp lệ" } }, signer = "" });
        Assert.Equal((HttpStatusCode.BadRequest, "invalid-fields"), (missing.Status, ProblemType(missing)));
        var byCitizen = await DraftAsync(_app, Letter(), Users.Citizen);
        Assert.Equal(HttpStatusCode.Forbidden, byCitizen.Status);
        var otherAgency = await DraftAsync(_app, Letter(), Users.Officer, agency: Commune);
        Assert.Equal(HttpStatusCode.Forbidden, otherAgency.Status);
        var unknownMember = await DraftAsync(_app, new { documentType = "Công văn", summary = "V/v", recipients = Array.Empty<object>(), signer = "chairman-001", so = 1 });
        Assert.Equal((HttpStatusCode.BadRequest, "unknown-member"), (unknownMember.Status, ProblemType(unknownMember)));
        using (var mine = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/agencies/{Ward}/outgoing?list=mine", Users.Officer)))
            Assert.Equal(0, JsonDocument.Parse(await mine.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength());

        var drafted = await DraftAsync(_app, Letter());
        var id = drafted.Body.GetProperty("id").GetString()!;
        var notPdf = await PutDocumentAsync(_app, id, Users.Officer, "không phải PDF"u8.ToArray(), drafted.ETag);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "outgoing-not-signable"), (notPdf.Status, ProblemType(notPdf)));
        var noFile = await StepAsync(_app, id, "submission", Users.Officer, null, drafted.ETag);
        Assert.Equal(HttpStatusCode.BadRequest, noFile.Status);
        var put = await PutDocumentAsync(_app, id, Users.Officer, Pdf(), drafted.ETag);
        var stale = await StepAsync(_app, id, "submission", Users.Officer, null, drafted.ETag);
        Assert.Equal((HttpStatusCode.PreconditionFailed, "outgoing-changed"), (stale.Status, ProblemType(stale)));
        var noIfMatch = await StepAsync(_app, id, "submission", Users.Officer, null, null);
        Assert.Equal(HttpStatusCode.PreconditionRequired, noIfMatch.Status);
        var notReviewer = await StepAsync(_app, id, "review", Users.OtherDepartmentOfficer, new { decision = "pass" }, put.ETag);
        Assert.Equal(HttpStatusCode.Forbidden, notReviewer.Status);
        var early = await StepAsync(_app, id, "issue", Users.RecordsClerk, null, put.ETag);
        Assert.Equal((HttpStatusCode.Conflict, "outgoing-step-not-allowed"), (early.Status, ProblemType(early)));
        var hidden = await GetAsync(_app, id, Users.OtherAgencyRecordsClerk);
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        var badId = await GetAsync(_app, "OUT-khong-hop-le", Users.Officer);
        Assert.Equal((HttpStatusCode.BadRequest, "bad-outgoing-id"), (badId.Status, ProblemType(badId)));

        var current = await GetAsync(_app, id, Users.Officer);
        Assert.Equal(("draft", put.Body.GetProperty("version").GetInt32(), 1),
            (current.Body.GetProperty("status").GetProperty("code").GetString(), current.Body.GetProperty("version").GetInt32(), current.Body.GetProperty("revision").GetInt32()));
    }

    [Fact]
    public async Task Documents_numbered_at_once_take_every_number_of_their_series_once()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _pki, Users.Chairman);
        var signed = new List<Infrastructure.WorkflowApi.Answer>();
        for (var i = 0; i < 6; i++) signed.Add(await SignedAsync(_app, phone));
        var numbered = await Task.WhenAll(signed.Select(s => StepAsync(_app, s.Body.GetProperty("id").GetString()!, "issue", Users.RecordsClerk, null, s.ETag)));
        Assert.All(numbered, n => Assert.Equal(HttpStatusCode.OK, n.Status));
        Assert.Equal(Enumerable.Range(1, 6), numbered.Select(n => n.Body.GetProperty("numbered").GetProperty("number").GetInt32()).Order());
        foreach (var n in numbered) await IssuedAsync(_app, n.Body.GetProperty("id").GetString()!);
    }

    private static string? ProblemType(Infrastructure.WorkflowApi.Answer answer) =>
        answer.Body.ValueKind == JsonValueKind.Object && answer.Body.TryGetProperty("type", out var type) ? type.GetString()?.Split('/')[^1] : null;
}
