using System.Net;
using System.Text.Json;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Correspondence.IncomingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

[Collection(AzuriteCollection.Name)]
public sealed class IncomingSearchTests : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<Answer> SearchAsync(string query, CurrentUser? user = null, string extra = "") =>
        GetJsonAsync(_app, $"/api/agencies/{Ward}/incoming/search?q={Uri.EscapeDataString(query)}{extra}", user ?? Users.RecordsClerk);

    private static IReadOnlyList<JsonElement> Items(Answer answer) => [.. answer.Body.GetProperty("items").EnumerateArray()];

    /// <summary>Waits for the index to hold the document (the event that indexes it arrives a moment after registration); the document's result.</summary>
    private async Task<JsonElement> FoundAsync(string query, string id)
    {
        var answer = await Eventually.GetAsync(async () =>
        {
            var answer = await SearchAsync(query);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            return Items(answer).Any(i => i.GetProperty("id").GetString() == id) ? answer : null;
        }, $"{id} to be found by '{query}'");
        return Items(answer).Single(i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_registered_letter_is_found_by_the_words_of_its_page_and_its_fields_without_diacritics()
    {
        var scan = Scans.TextPdf(["CÔNG AN TỈNH KHÁNH HÒA", "Số: 77/CAT-PV01", "Về việc phòng chống bão lũ và cứu hộ cứu nạn mùa mưa năm 2026"]);
        var id = await ArrivePaperAsync(_app, PaperLetter("77", "Về công tác phòng, chống thiên tai", notation: "CAT-PV01"), ("cong-van-77.pdf", scan));
        var arrived = await CheckedAsync(_app, id, Users.RecordsClerk);
        var fileId = arrived.Body.GetProperty("files")[0].GetProperty("documentId").GetString();

        // Not yet registered: not indexed.
        Assert.Empty(Items(await SearchAsync("cuu ho cuu nan")));
        var registered = await RegisterAsync(_app, id);
        var number = registered.Body.GetProperty("register").GetProperty("number").GetInt32();
        var year = registered.Body.GetProperty("register").GetProperty("year").GetInt32();

        var byPage = await FoundAsync("cuu ho cuu nan", id);
        var page = Assert.Single(byPage.GetProperty("matches").EnumerateArray());
        Assert.Equal("document", page.GetProperty("field").GetString());
        Assert.Equal(fileId, page.GetProperty("documentId").GetString());
        Assert.Equal("cong-van-77.pdf", page.GetProperty("fileName").GetString());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Contains("cứu hộ cứu nạn", page.GetProperty("snippet").GetString());
        Assert.Equal("77", byPage.GetProperty("number").GetString());
        Assert.Equal("CAT-PV01", byPage.GetProperty("notation").GetString());
        Assert.Equal("Công an tỉnh Khánh Hòa", byPage.GetProperty("senderName").GetString());
        Assert.Equal(number, byPage.GetProperty("register").GetProperty("number").GetInt32());
        Assert.Equal("03", byPage.GetProperty("status").GetProperty("code").GetString());

        // Its number and notation, sender and summary, receipt number: its own fields, folded and cased as typed.
        foreach (var query in new[] { "77/CAT-PV01", "cong an tinh KHANH HOA", "thiên tai", $"{number}/{year}" })
        {
            var found = Assert.Single(Items(await SearchAsync(query)), i => i.GetProperty("id").GetString() == id);
            Assert.Contains(found.GetProperty("matches").EnumerateArray(), m => m.GetProperty("field").GetString() == "letter");
        }
        // Every word must be there.
        Assert.Empty(Items(await SearchAsync("bão lũ hạn hán")));
        // Any official of the agency, a department's included, sees what is not secret.
        Assert.Single(Items(await SearchAsync("bao lu", Users.Officer)));
    }

    [Fact]
    public async Task A_secret_document_is_never_found_and_another_agency_never_searches_this_one()
    {
        var secret = await ArrivePaperAsync(_app, PaperLetter("12", "Về công tác bảo đảm an ninh trật tự dịp Tết", secret: true, notation: "CAT-MAT"));
        await RegisterAsync(_app, secret);
        var open = await ArrivePaperAsync(_app, PaperLetter("13", "Về công tác bảo đảm an ninh trật tự dịp Tết", notation: "CAT-PV02"),
            ("cong-van-13.pdf", Scans.TextPdf(["Về công tác bảo đảm an ninh trật tự dịp Tết"])));
        await RegisterAsync(_app, open);

        // Once the open one is indexed, the secret one (registered first, with the same summary) would be too, were it ever indexed.
        await FoundAsync("an ninh trat tu", open);
        Assert.Equal([open], Items(await SearchAsync("an ninh trat tu")).Select(i => i.GetProperty("id").GetString()));
        Assert.Empty(Items(await SearchAsync("CAT-MAT")));
        Assert.Empty(Items(await SearchAsync("12/CAT-MAT")));

        var written = await _app.CountWrittenAsync();
        var otherAgency = await SearchAsync("an ninh", Users.OtherAgencyRecordsClerk);
        Assert.Equal(HttpStatusCode.Forbidden, otherAgency.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SearchAsync("an ninh", Users.Citizen)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SearchAsync("an ninh", Users.Admin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await GetJsonAsync(_app, $"/api/agencies/{DemoData.CamLamCommune}/incoming/search?q=an+ninh", Users.RecordsClerk)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetJsonAsync(_app, $"/api/agencies/{Ward}/incoming/search?q=an+ninh", null)).Status);
        Assert.Equal(written, await _app.CountWrittenAsync());
    }

    [Fact]
    public async Task Results_come_in_pages_that_continue_after_the_last_one_shown()
    {
        List<string> ids = [];
        foreach (var number in new[] { "21", "22", "23" })
        {
            var id = await ArrivePaperAsync(_app, PaperLetter(number, $"Kế hoạch tổng điều tra dân số đợt {number}", notation: "CCTK"),
                ($"ke-hoach-{number}.pdf", Scans.TextPdf([$"Kế hoạch tổng điều tra dân số đợt {number}"])));
            await RegisterAsync(_app, id);
            ids.Add(id);
        }
        foreach (var id in ids) await FoundAsync("dieu tra dan so", id);

        var first = await SearchAsync("dieu tra dan so", extra: "&pageSize=2");
        Assert.Equal(2, Items(first).Count);
        var next = first.Body.GetProperty("next").GetString()!;
        Assert.Equal(Items(first)[1].GetProperty("id").GetString(), next);
        var second = await SearchAsync("dieu tra dan so", extra: $"&pageSize=2&cursor={Uri.EscapeDataString(next)}");
        Assert.Single(Items(second));
        Assert.Equal(JsonValueKind.Null, second.Body.GetProperty("next").ValueKind);
        Assert.Equal(ids.Order(StringComparer.Ordinal), Items(first).Concat(Items(second)).Select(i => i.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        // Newest first: ids carry their agency and day, then descend.
        Assert.Equal(Items(first).Concat(Items(second)).Select(i => i.GetProperty("id").GetString()!).OrderDescending(StringComparer.Ordinal),
            Items(first).Concat(Items(second)).Select(i => i.GetProperty("id").GetString()!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("một hai ba bốn năm sáu bảy tám chín")]
    [InlineData("q&pageSize=0")]
    [InlineData("q&pageSize=51")]
    [InlineData("q&pageSize=nhiều")]
    [InlineData("q&cursor=khong-hop-le")]
    [InlineData("q&cursor=IN-000.20.30.H57-261202-ABCDEF")]
    public async Task A_bad_query_is_refused(string query)
    {
        var parts = query.Split('&', 2);
        var path = $"/api/agencies/{Ward}/incoming/search?q={Uri.EscapeDataString(parts[0] == "q" ? "điều tra" : parts[0])}" + (parts.Length > 1 ? "&" + parts[1] : "");
        var answer = await GetJsonAsync(_app, path, Users.RecordsClerk);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(answer.Body.GetProperty("type").GetString(), new[] { "https://motcua.vn/problems/invalid-fields", "https://motcua.vn/problems/malformed-request" });
    }

    [Fact]
    public async Task A_query_longer_than_200_characters_is_refused()
    {
        var answer = await GetJsonAsync(_app, $"/api/agencies/{Ward}/incoming/search?q={new string('x', 201)}", Users.RecordsClerk);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }
}
