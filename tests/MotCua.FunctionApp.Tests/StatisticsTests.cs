using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class StatisticsTests
{
    private const string Unit = "000.20.30.H56";
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    private sealed record Expected(int Received, int Online, int Counter, int CarriedOver, int Awaiting, int InProgress, int Overdue,
        int BeforeDeadline, int Late, int Returned, int Withdrawn, int Refused, int Stopped, string[] LateCodes);

    [Fact]
    public async Task Statistics_OverTwoPeriods_CountByAcceptanceAndMatchAHandCount()
    {
        var time = new FakeTimeProvider(At(2026, 11, 20, 8));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, time: time);
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Chairman);
        async Task<string> SubmitOnlineAsync() => await SubmitRegisteredAsync(app, "1.000656");
        async Task<string> SubmitAtCounterAsync()
        {
            var code = (await DossierApi.SubmitAsync(app, Users.Clerk, Submission.Valid(Submission.DossierJson(procedure: "1.000656")))).Code;
            await RegisteredAndCheckedAsync(app, code);
            return code;
        }
        async Task AcceptAsync(string code)
        {
            await DoAsync(app, code, "accept", Users.Clerk);
            await DoAsync(app, code, "hand-over", Users.Clerk);
        }
        async Task ResolveAsync(string code)
        {
            await DoAsync(app, code, "submit-for-approval", Users.Specialist);
            var current = await GetAsync(app, code, Users.Chairman);
            var approved = await ActAsync(app, code, "approve", Users.Chairman,
                phone.Sign(code, "approve", current.Body.GetProperty("version").GetInt32(), time.GetUtcNow(), "Đồng ý"), current.ETag);
            Assert.Equal(HttpStatusCode.OK, approved.Status);
            await DoAsync(app, code, "finish", Users.Clerk);
        }
        async Task EndAsync(string code, string action, MotCua.FunctionApp.Auth.CurrentUser? by = null) =>
            await DoAsync(app, code, action, by ?? Users.Clerk, new { comment = "Lý do ghi rõ" });

        // The week before period A: one dossier done within it, one carried into A.
        var doneBefore = await SubmitOnlineAsync();
        var carriedIntoA = await SubmitOnlineAsync();
        await AcceptAsync(doneBefore);
        await AcceptAsync(carriedIntoA);
        await ResolveAsync(doneBefore);
        await DoAsync(app, doneBefore, "return-result", Users.Clerk);

        // Period A, Monday.
        time.SetUtcNow(At(2026, 11, 23, 8));
        var neverAccepted = await SubmitOnlineAsync();
        var quick = await SubmitOnlineAsync();
        var refused = await SubmitOnlineAsync();
        var withdrawnUnaccepted = await SubmitOnlineAsync();
        var supplementFirst = await SubmitOnlineAsync();
        var lateInB = await SubmitOnlineAsync();
        var overdueInB = await SubmitOnlineAsync();
        var withdrawnInB = await SubmitOnlineAsync();
        foreach (var t in new[] { quick, lateInB, overdueInB, withdrawnInB }) await AcceptAsync(t);
        await EndAsync(refused, "refuse");
        await EndAsync(withdrawnUnaccepted, "withdraw", Users.Citizen);
        await DoAsync(app, supplementFirst, "request-supplement", Users.Clerk, new { comment = "Bổ sung bản sao giấy chứng sinh" });
        await ResolveAsync(quick);
        await DoAsync(app, quick, "return-result", Users.Clerk);

        time.SetUtcNow(At(2026, 11, 24, 10));
        await ResolveAsync(carriedIntoA);

        // Submitted on A's last evening, accepted in B: it belongs to B.
        time.SetUtcNow(At(2026, 11, 29, 23));
        var acceptedInB = await SubmitOnlineAsync();

        // Period B.
        time.SetUtcNow(At(2026, 11, 30, 9));
        await AcceptAsync(acceptedInB);
        var counter = await SubmitAtCounterAsync();
        await AcceptAsync(counter);
        var stopped = await SubmitOnlineAsync();
        await AcceptAsync(stopped);

        time.SetUtcNow(At(2026, 12, 1, 10));
        await EndAsync(withdrawnInB, "withdraw", Users.Citizen);
        time.SetUtcNow(At(2026, 12, 2, 10));
        await EndAsync(stopped, "stop", Users.Chairman);
        time.SetUtcNow(At(2026, 12, 3, 10));
        await ResolveAsync(lateInB);

        time.SetUtcNow(At(2026, 12, 10, 9));
        var periodA = await FiguresAsync(app, new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 29));
        var periodB = await FiguresAsync(app, new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 6));

        // Counted by hand from the scenario. A dossier is received on the day the desk accepts it, and
        // carried over when accepted before the period and still open at its start; the snapshots
        // (awaiting, in progress, overdue) are taken at the period's end. The procedure takes 5 working
        // days: a dossier accepted on Monday 23 Nov at 08:00 is due Monday 30 Nov at 08:00.
        var expectedA = new Expected(
            Received: 4,        // quick, lateInB, overdueInB, withdrawnInB: accepted Mon 23 Nov
            Online: 4,          // all four submitted online
            Counter: 0,
            CarriedOver: 1,     // carriedIntoA: accepted 20 Nov, resolved only on 24 Nov (doneBefore closed on 20 Nov)
            Awaiting: 3,        // neverAccepted, supplementFirst (asked for a supplement before acceptance), acceptedInB (submitted 29 Nov 23:00)
            InProgress: 3,      // lateInB, overdueInB, withdrawnInB: all still open on 29 Nov at midnight
            Overdue: 0,         // their deadline, 30 Nov 08:00, is after A's end
            BeforeDeadline: 2,  // quick (23 Nov), carriedIntoA (24 Nov)
            Late: 0,
            Returned: 1,        // quick (doneBefore's result was returned before A)
            Withdrawn: 0,       // withdrawnUnaccepted was never accepted, so it is neither received nor withdrawn
            Refused: 1,         // refused, on 23 Nov
            Stopped: 0,
            LateCodes: []);
        var expectedB = new Expected(
            Received: 3,        // acceptedInB, counter, stopped: accepted Mon 30 Nov
            Online: 2,          // acceptedInB, stopped
            Counter: 1,         // counter
            CarriedOver: 3,     // lateInB, overdueInB, withdrawnInB: accepted 23 Nov, open on 30 Nov
            Awaiting: 2,        // neverAccepted, supplementFirst
            InProgress: 3,      // overdueInB, acceptedInB, counter
            Overdue: 1,         // overdueInB, due 30 Nov 08:00; acceptedInB and counter are due 7 Dec 09:00, after B's end
            BeforeDeadline: 0,
            Late: 1,            // lateInB, resolved 3 Dec
            Returned: 0,
            Withdrawn: 1,       // withdrawnInB, on 1 Dec
            Refused: 0,         // refused was refused in A
            Stopped: 1,         // stopped, on 2 Dec
            LateCodes: [.. new[] { lateInB, overdueInB }.Order()]);
        AssertFigures(expectedA, periodA);
        AssertFigures(expectedB, periodB);

        var lateList = periodB.GetProperty("lateDossiers").EnumerateArray().ToDictionary(d => d.GetProperty("code").GetString()!);
        var lost = Assert.Single(lateList[lateInB].GetProperty("lostTime").EnumerateArray());
        Assert.Equal(("Thụ lý, thẩm định hồ sơ", Users.Specialist.Id), (lost.GetProperty("step").GetString(), lost.GetProperty("official").GetString()));

        using var otherUnit = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/units/{Unit}/statistics?from=2026-11-23&to=2026-11-23", Users.OtherUnitClerk));
        Assert.Equal(HttpStatusCode.Forbidden, otherUnit.StatusCode);
        using var badRange = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/units/{Unit}/statistics?from=2026-11-23&to=2025-01-01", Users.Chairman));
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
    }

    private static DateTimeOffset At(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, Vietnam);

    private static async Task<JsonElement> FiguresAsync(TestApp app, DateOnly from, DateOnly to)
    {
        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, $"/api/units/{Unit}/statistics?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}", Users.Chairman));
        var figures = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.True(response.IsSuccessStatusCode, figures.ToString());
        return figures;
    }

    private static void AssertFigures(Expected expected, JsonElement figures)
    {
        int Get(string name) => figures.TryGetProperty(name, out var value) ? value.GetInt32() : -1;
        var resolved = figures.GetProperty("resolved");
        var byChannel = figures.GetProperty("receivedByChannel");
        var actual = new Expected(Get("received"), byChannel.GetProperty("online").GetInt32(), byChannel.GetProperty("counter").GetInt32(),
            Get("carriedOver"), Get("awaitingReception"), Get("inProgress"), Get("overdue"),
            resolved.GetProperty("beforeDeadline").GetInt32(), resolved.GetProperty("late").GetInt32(), Get("returned"), Get("withdrawn"),
            Get("refused"), Get("stopped"), [.. figures.GetProperty("lateDossiers").EnumerateArray().Select(d => d.GetProperty("code").GetString()!).Order()]);
        Assert.Equal(expected with { LateCodes = [] }, actual with { LateCodes = [] });
        Assert.Equal(expected.LateCodes, actual.LateCodes);
        Assert.Equal(0, resolved.GetProperty("onTime").GetInt32());
        // The national form's identity.
        Assert.Equal(Get("received") + Get("carriedOver"),
            resolved.GetProperty("beforeDeadline").GetInt32() + resolved.GetProperty("late").GetInt32() + Get("withdrawn") + Get("stopped") + Get("inProgress"));
        double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
        double? Figure(string name) => figures.GetProperty(name).ValueKind == JsonValueKind.Null ? null : figures.GetProperty(name).GetDouble();
        Assert.Equal(Rate(expected.BeforeDeadline, expected.BeforeDeadline + expected.Late), Figure("onTimeRate"));
        Assert.Equal(Rate(expected.Online, expected.Received), Figure("onlineShare"));
    }
}
