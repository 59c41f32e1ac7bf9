using System.Net;
using System.Text.Json;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.FunctionApp.Tests.Signing;
using static MotCua.FunctionApp.Tests.Correspondence.OutgoingFlow;
using static MotCua.FunctionApp.Tests.Correspondence.OutgoingSetup;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// Outgoing documents found by their number, fields, recipients and issued file's words (never a secret
/// one, never by another agency), and a period's figures counted by hand: issued, by type, sent fully
/// electronically, signed digitally, and replies by their due date.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutgoingReportTests : IAsyncLifetime
{
    private readonly OutgoingSetup _setup = new();
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await _setup.StartAsync();

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _setup.Dispose();
    }

    private static string Day(int offset) => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7)).AddDays(offset).ToString("yyyy-MM-dd");

    private Task<IncomingFlow.Answer> SearchAsync(string query, CurrentUser? user = null, string extra = "", string agency = Ward) =>
        IncomingFlow.GetJsonAsync(_app, $"/api/agencies/{agency}/outgoing/search?q={Uri.EscapeDataString(query)}{extra}", user ?? Users.RecordsClerk);

    private static IReadOnlyList<JsonElement> Items(IncomingFlow.Answer answer) => [.. answer.Body.GetProperty("items").EnumerateArray()];

    private static IReadOnlyList<string?> Ids(IncomingFlow.Answer answer) => [.. Items(answer).Select(i => i.GetProperty("id").GetString())];

    private async Task<JsonElement> FoundAsync(string query, string id)
    {
        var answer = await Eventually.GetAsync(async () =>
        {
            var answer = await SearchAsync(query);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            return Ids(answer).Contains(id) ? answer : null;
        }, $"{id} to be found by '{query}'");
        return Items(answer).Single(i => i.GetProperty("id").GetString() == id);
    }

    private static object SecretLetter(string summary, string? dueDate = null) => new
    {
        documentType = "Báo cáo", summary, recipients = Array.Empty<object>(), signer = Users.Chairman.Id, reviewer = Users.DepartmentHead.Id, secret = true,
        dueDate, otherRecipients = new[] { "Công an tỉnh Khánh Hòa (bản giấy)", "Lưu: VT." },
    };

    private static object Dated(object letter, string dueDate) =>
        JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(letter, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!
            .Append(new KeyValuePair<string, object?>("dueDate", dueDate)).ToDictionary();

    [Fact]
    public async Task An_issued_letter_is_found_by_its_number_fields_recipients_and_file_without_diacritics()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _setup.Pki, Users.Chairman);
        var pdf = SignedPdfBuilder.CreatePdf(["UY BAN NHAN DAN PHUONG NHA TRANG", "So: /UBND-VHXH", "CONG VAN",
            "De nghi cac xa chu dong phong chong sat lo dat trong mua mua bao"]);
        var issued = await IssueAsync(_app, phone, Letter("V/v tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2026", recipients: [Commune, "outside"]), pdf: pdf);
        var id = issued.Body.GetProperty("id").GetString()!;
        var symbol = issued.Body.GetProperty("numbered").GetProperty("symbol").GetString()!;

        // The words of its issued file, typed with diacritics.
        var byPage = await FoundAsync("sạt lở đất", id);
        var page = Assert.Single(byPage.GetProperty("matches").EnumerateArray());
        Assert.Equal(("document", 1, symbol.Replace('/', '-') + ".pdf"), (page.GetProperty("field").GetString(), page.GetProperty("page").GetInt32(),
            page.GetProperty("fileName").GetString()));
        Assert.Contains("sat lo dat", page.GetProperty("snippet").GetString());
        Assert.Equal((symbol, "Công văn", "issued"), (byPage.GetProperty("symbol").GetString(), byPage.GetProperty("documentType").GetString(),
            byPage.GetProperty("status").GetProperty("code").GetString()));

        // Its number, summary, type and recipients' names (of this system, and outside it), folded and cased as typed.
        foreach (var query in new[] { symbol, "ngay hoi DAI DOAN KET", "công văn đại đoàn kết", "Bộ Văn hóa, Thể thao", "xa cam lam" })
        {
            var found = Assert.Single(Items(await SearchAsync(query)), i => i.GetProperty("id").GetString() == id);
            Assert.Contains(found.GetProperty("matches").EnumerateArray(), m => m.GetProperty("field").GetString() == "letter");
        }
        // Every word must be there; any official of the agency finds it.
        Assert.Empty(Items(await SearchAsync("đại đoàn kết hạn hán")));
        Assert.Single(Items(await SearchAsync("dai doan ket", Users.OtherDepartmentOfficer)));
    }

    [Fact]
    public async Task A_secret_document_is_never_found_pages_continue_and_another_agency_never_searches_this_one()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _setup.Pki, Users.Chairman);
        var secret = await IssueAsync(_app, phone, SecretLetter("Báo cáo công tác bảo đảm an ninh trật tự dịp Tết"));
        var secretId = secret.Body.GetProperty("id").GetString()!;
        var first = (await IssueAsync(_app, phone, Letter("V/v bảo đảm an ninh trật tự dịp Tết tại khu dân cư"))).Body.GetProperty("id").GetString()!;
        var second = (await IssueAsync(_app, phone, Letter("V/v bảo đảm an ninh trật tự dịp Tết tại chợ"))).Body.GetProperty("id").GetString()!;
        await FoundAsync("an ninh trat tu dip Tet", first);
        await FoundAsync("an ninh trat tu dip Tet", second);

        // Not by its words nor its number, whoever asks, even those who may read it.
        foreach (var user in new[] { Users.RecordsClerk, Users.Leader, Users.Officer })
        {
            Assert.DoesNotContain(secretId, Ids(await SearchAsync("an ninh trật tự dịp Tết", user)));
            Assert.Empty(Items(await SearchAsync(secret.Body.GetProperty("numbered").GetProperty("symbol").GetString()!, user)));
            Assert.Empty(Items(await SearchAsync("báo cáo", user)));
        }

        // Pages of one continue after the last document shown.
        var newest = new[] { first, second }.Max(StringComparer.Ordinal)!;
        var page1 = await SearchAsync("an ninh", extra: "&pageSize=1");
        Assert.Equal([newest], Ids(page1));
        Assert.Equal(newest, page1.Body.GetProperty("next").GetString());
        var page2 = await SearchAsync("an ninh", extra: $"&pageSize=1&cursor={newest}");
        Assert.Equal([new[] { first, second }.Min(StringComparer.Ordinal)!], Ids(page2));
        Assert.Equal(JsonValueKind.Null, page2.Body.GetProperty("next").ValueKind);

        // Another agency neither searches this one nor finds its documents in its own.
        Assert.Equal(HttpStatusCode.Forbidden, (await SearchAsync("an ninh", Users.OtherAgencyRecordsClerk)).Status);
        var own = await SearchAsync("an ninh", Users.OtherAgencyRecordsClerk, agency: Commune);
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Empty(Items(own));

        // Bad input: a problem, nothing else.
        foreach (var (query, extra, user) in new (string, string, CurrentUser)[]
        {
            ("", "", Users.RecordsClerk), ("a", "", Users.RecordsClerk), ("một hai ba bốn năm sáu bảy tám chín", "", Users.RecordsClerk),
            ("an ninh", "&pageSize=0", Users.RecordsClerk), ("an ninh", "&pageSize=51", Users.RecordsClerk), ("an ninh", "&cursor=khong-hop-le", Users.RecordsClerk),
            ("an ninh", $"&cursor=IN-{Ward}-260101-AAAAAA", Users.RecordsClerk),
        })
        {
            var refused = await SearchAsync(query, user, extra);
            Assert.True(refused.Status == HttpStatusCode.BadRequest, $"{query}{extra}: {refused.Status}");
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await SearchAsync("an ninh", Users.Citizen)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SearchAsync("an ninh", Users.RecordsClerk, agency: "khong-phai-ma")).Status);
        var unknownList = await IncomingFlow.GetJsonAsync(_app, $"/api/agencies/{Ward}/outgoing?list=tat-ca", Users.RecordsClerk);
        Assert.Equal(HttpStatusCode.BadRequest, unknownList.Status);
    }

    [Fact]
    public async Task A_days_issued_documents_match_a_hand_count()
    {
        using var phone = await CertifiedPhone.RegisterAsync(_app, _setup.Pki, Users.Chairman);
        using var communePhone = await CertifiedPhone.RegisterAsync(_app, _setup.Pki, CommuneChairman);
        async Task<string> IssuedAsync(object form) => (await IssueAsync(_app, phone, form)).Body.GetProperty("id").GetString()!;
        async Task ReplyAsync(string id)
        {
            var received = await DeliveredAsync(_app, id, Commune);
            await IssueAsync(_app, communePhone, new
            {
                documentType = "Công văn", summary = "V/v phúc đáp công văn của Ủy ban nhân dân phường Nha Trang", recipients = new[] { new { agency = Ward } },
                signer = CommuneChairman.Id, answersIncomingId = received,
            }, drafter: CommuneOfficer, signer: CommuneChairman, clerk: Users.OtherAgencyRecordsClerk, agency: Commune);
            await Eventually.GetAsync(async () =>
                Recipient(await GetAsync(_app, id, Users.RecordsClerk), Commune).GetProperty("replyIncomingId").GetString(), $"the commune's reply to {id}");
        }

        var repliedOnTime = await IssuedAsync(Dated(Letter("V/v báo cáo kết quả Ngày hội, hạn ngày mai"), Day(1)));     // electronic; answered today, due tomorrow
        var repliedLate = await IssuedAsync(Dated(Letter("V/v báo cáo số liệu dân cư, hạn hôm qua"), Day(-1)));           // electronic; answered today, due yesterday
        await IssuedAsync(Dated(Letter("V/v lấy ý kiến, hạn hôm qua", recipients: [Commune, "outside"]), Day(-1)));       // one recipient outside; unanswered
        await IssuedAsync(Dated(Letter("V/v đề nghị cung cấp tài liệu", recipients: ["outside"]), Day(5)));             // outside only; awaiting its reply
        await IssuedAsync(SecretLetter("Báo cáo tình hình an ninh", Day(5)));                                               // secret: on paper, neither electronic nor counted as signed digitally; its reply awaited
        var recalled = await IssueAsync(_app, phone, Dated(Letter("V/v tổ chức hội nghị, đã thu hồi"), Day(-1)));           // electronic; recalled: no reply due
        Ok(await StepAsync(_app, recalled.Body.GetProperty("id").GetString()!, "recall", Users.RecordsClerk, new { reason = "Hoãn hội nghị." }, recalled.ETag));
        var drafted = await DraftAsync(_app, Letter("V/v dự thảo chưa ban hành"));                                          // not issued: not counted
        Assert.Equal(HttpStatusCode.Created, drafted.Status);
        await ReplyAsync(repliedOnTime);
        await ReplyAsync(repliedLate);

        var today = await IncomingFlow.GetJsonAsync(_app, $"/api/agencies/{Ward}/outgoing/statistics?from={Day(0)}&to={Day(0)}", Users.DepartmentHead);
        Assert.True(today.Status == HttpStatusCode.OK, today.Body.ToString());
        var b = today.Body;
        Assert.Equal((6, 1, 1), (b.GetProperty("issued").GetInt32(), b.GetProperty("secret").GetInt32(), b.GetProperty("recalled").GetInt32()));
        Assert.Equal("Công văn 5 | Báo cáo 1", string.Join(" | ", b.GetProperty("byType").EnumerateArray()
            .Select(t => $"{t.GetProperty("documentType").GetString()} {t.GetProperty("issued").GetInt32()}")));
        // Fully electronic: the two replied to and the recalled one (every recipient the commune); signed digitally: all but the secret one.
        Assert.Equal((3, 0.5, 5, 0.8333), (b.GetProperty("fullyElectronic").GetInt32(), b.GetProperty("electronicShare").GetDouble(),
            b.GetProperty("digitallySigned").GetInt32(), b.GetProperty("digitallySignedShare").GetDouble()));
        // Replies: five asked for one by a date, less the recalled one; the secret one's awaits it with the outside agency's.
        Assert.Equal((5, 1, 1, 1, 2), (b.GetProperty("repliesDue").GetInt32(), b.GetProperty("repliedOnTime").GetInt32(), b.GetProperty("repliedLate").GetInt32(),
            b.GetProperty("unanswered").GetInt32(), b.GetProperty("awaitingReply").GetInt32()));

        // The day before: nothing issued, no share.
        var yesterday = await IncomingFlow.GetJsonAsync(_app, $"/api/agencies/{Ward}/outgoing/statistics?from={Day(-1)}&to={Day(-1)}", Users.Admin);
        Assert.Equal((0, JsonValueKind.Null, JsonValueKind.Null, 0), (yesterday.Body.GetProperty("issued").GetInt32(), yesterday.Body.GetProperty("electronicShare").ValueKind,
            yesterday.Body.GetProperty("digitallySignedShare").ValueKind, yesterday.Body.GetProperty("byType").GetArrayLength()));
        // The commune's own figures: its two replies, fully electronic, with nothing of the ward's.
        var commune = await IncomingFlow.GetJsonAsync(_app, $"/api/agencies/{Commune}/outgoing/statistics?from={Day(0)}&to={Day(0)}", Users.OtherAgencyRecordsClerk);
        Assert.Equal((2, 2, 0), (commune.Body.GetProperty("issued").GetInt32(), commune.Body.GetProperty("fullyElectronic").GetInt32(),
            commune.Body.GetProperty("repliesDue").GetInt32()));
    }

    [Theory]
    [InlineData("from=2026-11-02")]
    [InlineData("to=2026-11-02")]
    [InlineData("from=2026-11-08&to=2026-11-02")]
    [InlineData("from=2026-01-01&to=2027-01-03")]
    [InlineData("from=2026-13-01&to=2026-12-31")]
    [InlineData("from=hôm-qua&to=2026-12-31")]
    [InlineData("from=1999-12-01&to=2000-01-01")]
    public async Task Bad_periods_are_refused(string query)
    {
        var answer = await IncomingFlow.GetJsonAsync(_app, $"/api/agencies/{Ward}/outgoing/statistics?{query}", Users.RecordsClerk);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(answer.Body.GetProperty("type").GetString(), new[] { "https://motcua.vn/problems/invalid-fields", "https://motcua.vn/problems/malformed-request" });
    }

    [Fact]
    public async Task Only_the_agencys_officials_and_administrators_see_its_figures()
    {
        const string Period = "from=2026-01-01&to=2026-12-31";
        Assert.Equal(HttpStatusCode.Forbidden, (await IncomingFlow.GetJsonAsync(_app, $"/api/agencies/{Ward}/outgoing/statistics?{Period}", Users.OtherAgencyRecordsClerk)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await IncomingFlow.GetJsonAsync(_app, $"/api/agencies/{Ward}/outgoing/statistics?{Period}", Users.Citizen)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await IncomingFlow.GetJsonAsync(_app, $"/api/agencies/{Ward}/outgoing/statistics?{Period}", null)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await IncomingFlow.GetJsonAsync(_app, $"/api/agencies/khong-phai-ma/outgoing/statistics?{Period}", Users.Admin)).Status);
        var own = await IncomingFlow.GetJsonAsync(_app, $"/api/agencies/{Ward}/outgoing/statistics?{Period}", Users.Officer);
        Assert.Equal((HttpStatusCode.OK, 0), (own.Status, own.Body.GetProperty("issued").GetInt32()));
    }
}
