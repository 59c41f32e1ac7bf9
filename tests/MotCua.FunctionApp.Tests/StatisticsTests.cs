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

    /// <summary>What the test did to one dossier, in its own words: the expected figures are counted from these.</summary>
    private sealed class Trace(string code, string channel, DateTimeOffset submitted)
    {
        public string Code { get; } = code;
        public string Channel { get; } = channel;
        public DateTimeOffset Submitted { get; } = submitted;
        public DateTimeOffset? Accepted { get; set; }
        public (string Kind, DateTimeOffset At)? End { get; set; }
        public bool Returned { get; set; }
    }

    private sealed record Expected(int Received, int Online, int Counter, int CarriedOver, int Awaiting, int InProgress, int Overdue,
        int BeforeDeadline, int Late, int Returned, int Withdrawn, int Refused, int Stopped, string[] LateCodes);

    /// <summary>
    /// The national report's rules, applied to the traces: a dossier is received on the day the desk
    /// accepts it, carried over when accepted before the period and still open at its start;
    /// snapshots are taken at the period's end. The procedure takes 5 working days, which from any
    /// weekday morning of these weeks is the same weekday a week later.
    /// </summary>
    private static Expected Count(IEnumerable<Trace> traces, DateOnly from, DateOnly to)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), Vietnam);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), Vietnam);
        var counts = new Dictionary<string, int>();
        var late = new List<string>();
        void Add(string figure) => counts[figure] = counts.GetValueOrDefault(figure) + 1;
        bool OpenAt(Trace t, DateTimeOffset at) => t.End is not { } e || e.At >= at;
        foreach (var t in traces)
        {
            if (t.Accepted is not { } accepted || accepted >= end)
            {
                if (t.End is ("refused", var at) && at >= start && at < end) Add("refused");
                else if (t.Submitted < end && OpenAt(t, end)) Add("awaiting");
                continue;
            }
            if (accepted < start && !OpenAt(t, start)) continue;
            Add(accepted < start ? "carriedOver" : "received");
            if (accepted >= start) Add(t.Channel);
            if (OpenAt(t, end))
            {
                Add("inProgress");
                if (accepted.AddDays(7) < end) { Add("overdue"); late.Add(t.Code); }
                continue;
            }
            Add(t.End!.Value.Kind);
            if (t.End.Value.Kind == "late") late.Add(t.Code);
            if (t.Returned) Add("returned");
        }
        int C(string figure) => counts.GetValueOrDefault(figure);
        return new Expected(C("received"), C("online"), C("counter"), C("carriedOver"), C("awaiting"), C("inProgress"), C("overdue"),
            C("beforeDeadline"), C("late"), C("returned"), C("withdrawn"), C("refused"), C("stopped"), [.. late.Order()]);
    }

    [Fact]
    public async Task Statistics_OverTwoPeriods_CountByAcceptanceAndMatchAHandCount()
    {
        var time = new FakeTimeProvider(At(2026, 11, 20, 8));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, time: time);
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Chairman);
        var traces = new List<Trace>();

        async Task<Trace> SubmitOnlineAsync()
        {
            var trace = new Trace(await SubmitRegisteredAsync(app, "1.000656"), "online", time.GetUtcNow());
            traces.Add(trace);
            return trace;
        }
        async Task<Trace> SubmitAtCounterAsync()
        {
            var code = (await DossierApi.SubmitAsync(app, Users.Clerk, Submission.Valid(Submission.DossierJson(procedure: "1.000656")))).Code;
            await Eventually.GetAsync(async () => Status((await GetAsync(app, code, Users.Clerk)).Body) == 1 ? "" : null, "registration");
            var trace = new Trace(code, "counter", time.GetUtcNow());
            traces.Add(trace);
            return trace;
        }
        async Task AcceptAsync(Trace t)
        {
            await DoAsync(app, t.Code, "accept", Users.Clerk);
            t.Accepted = time.GetUtcNow();
            await DoAsync(app, t.Code, "hand-over", Users.Clerk);
        }
        async Task ResolveAsync(Trace t, string expectedTimeliness)
        {
            await DoAsync(app, t.Code, "submit-for-approval", Users.Specialist);
            var current = await GetAsync(app, t.Code, Users.Chairman);
            var approved = await ActAsync(app, t.Code, "approve", Users.Chairman,
                phone.Sign(t.Code, "approve", current.Body.GetProperty("version").GetInt32(), time.GetUtcNow(), "Đồng ý"), current.ETag);
            Assert.Equal(HttpStatusCode.OK, approved.Status);
            await DoAsync(app, t.Code, "finish", Users.Clerk);
            t.End = (expectedTimeliness, time.GetUtcNow());
        }
        async Task EndAsync(Trace t, string action, string kind, MotCua.FunctionApp.Auth.CurrentUser? by = null)
        {
            await DoAsync(app, t.Code, action, by ?? Users.Clerk, new { comment = "Lý do ghi rõ" });
            t.End = (kind, time.GetUtcNow());
        }

        // The week before period A: one dossier done within it, one carried into A.
        var doneBefore = await SubmitOnlineAsync();
        var carriedIntoA = await SubmitOnlineAsync();
        await AcceptAsync(doneBefore);
        await AcceptAsync(carriedIntoA);
        await ResolveAsync(doneBefore, "beforeDeadline");
        await DoAsync(app, doneBefore.Code, "return-result", Users.Clerk);
        doneBefore.Returned = true;

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
        await EndAsync(refused, "refuse", "refused");
        await EndAsync(withdrawnUnaccepted, "withdraw", "withdrawn", Users.Citizen);
        await DoAsync(app, supplementFirst.Code, "request-supplement", Users.Clerk, new { comment = "Bổ sung bản sao giấy chứng sinh" });
        await ResolveAsync(quick, "beforeDeadline");
        await DoAsync(app, quick.Code, "return-result", Users.Clerk);
        quick.Returned = true;

        time.SetUtcNow(At(2026, 11, 24, 10));
        await ResolveAsync(carriedIntoA, "beforeDeadline");

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
        await EndAsync(withdrawnInB, "withdraw", "withdrawn", Users.Citizen);
        time.SetUtcNow(At(2026, 12, 2, 10));
        await EndAsync(stopped, "stop", "stopped", Users.Chairman);
        time.SetUtcNow(At(2026, 12, 3, 10));
        await ResolveAsync(lateInB, "late");

        time.SetUtcNow(At(2026, 12, 10, 9));
        var periodA = await FiguresAsync(app, new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 29));
        var periodB = await FiguresAsync(app, new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 6));

        AssertFigures(Count(traces, new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 29)), periodA);
        AssertFigures(Count(traces, new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 6)), periodB);
        // The hand count itself, for the reader: A received 4 and carried 1 over; B received 3 and carried 3 over.
        Assert.Equal((4, 1, 3), (periodA.GetProperty("received").GetInt32(), periodA.GetProperty("carriedOver").GetInt32(), periodA.GetProperty("awaitingReception").GetInt32()));
        Assert.Equal((3, 3, 2), (periodB.GetProperty("received").GetInt32(), periodB.GetProperty("carriedOver").GetInt32(), periodB.GetProperty("awaitingReception").GetInt32()));

        var lateList = periodB.GetProperty("lateDossiers").EnumerateArray().ToDictionary(d => d.GetProperty("code").GetString()!);
        var lost = Assert.Single(lateList[lateInB.Code].GetProperty("lostTime").EnumerateArray());
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
