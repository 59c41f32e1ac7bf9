using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Infrastructure.WorkflowApi;

namespace MotCua.FunctionApp.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class StatisticsTests
{
    [Fact]
    public async Task Statistics_OfAMixedDay_CountEachOutcomeAndNameWhereTimeWasLost()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(7)));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, time: time);
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Chairman);

        async Task ApproveAsync(string code)
        {
            var current = await GetAsync(app, code, Users.Chairman);
            var answer = await ActAsync(app, code, "approve", Users.Chairman,
                phone.Sign(code, "approve", current.Body.GetProperty("version").GetInt32(), time.GetUtcNow(), "Đồng ý"), current.ETag);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
        }

        var onTime = await SubmitRegisteredAsync(app, "1.000656");
        var refused = await SubmitRegisteredAsync(app, "1.000656");
        var withdrawn = await SubmitRegisteredAsync(app, "1.000656");
        var late = await SubmitRegisteredAsync(app, "1.000656");
        var counter = (await DossierApi.SubmitAsync(app, Users.Clerk, Submission.Valid(Submission.DossierJson(procedure: "1.000656")))).Code;
        await Eventually.GetAsync(async () => Status((await GetAsync(app, counter, Users.Clerk)).Body) == 1 ? "" : null, "registration");

        foreach (var code in new[] { onTime, late, counter })
        {
            await DoAsync(app, code, "accept", Users.Clerk);
            await DoAsync(app, code, "hand-over", Users.Clerk);
        }
        await DoAsync(app, onTime, "submit-for-approval", Users.Specialist);
        await ApproveAsync(onTime);
        await DoAsync(app, onTime, "finish", Users.Clerk);
        await DoAsync(app, onTime, "return-result", Users.Clerk);
        await DoAsync(app, refused, "refuse", Users.Clerk, new { comment = "Sai thẩm quyền" });
        await DoAsync(app, withdrawn, "withdraw", Users.Citizen, new { comment = "Nộp nhầm" });

        time.Advance(TimeSpan.FromDays(14));
        await DoAsync(app, late, "submit-for-approval", Users.Specialist);
        await ApproveAsync(late);
        await DoAsync(app, late, "finish", Users.Clerk);

        using var response = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/units/000.20.30.H56/statistics?from=2026-11-23&to=2026-11-23", Users.Chairman));
        var stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.IsSuccessStatusCode, stats.ToString());

        Assert.Equal(5, stats.GetProperty("received").GetInt32());
        Assert.Equal((4, 1), (stats.GetProperty("receivedByChannel").GetProperty("online").GetInt32(), stats.GetProperty("receivedByChannel").GetProperty("counter").GetInt32()));
        Assert.Equal((1, 1), (stats.GetProperty("inProgress").GetInt32(), stats.GetProperty("overdue").GetInt32()));
        var resolved = stats.GetProperty("resolved");
        Assert.Equal((1, 0, 1), (resolved.GetProperty("beforeDeadline").GetInt32(), resolved.GetProperty("onTime").GetInt32(), resolved.GetProperty("late").GetInt32()));
        Assert.Equal((1, 1, 1, 0), (stats.GetProperty("returned").GetInt32(), stats.GetProperty("withdrawn").GetInt32(),
            stats.GetProperty("refused").GetInt32(), stats.GetProperty("stopped").GetInt32()));
        Assert.Equal(0.5, stats.GetProperty("onTimeRate").GetDouble());
        Assert.Equal(0.8, stats.GetProperty("onlineShare").GetDouble());

        var lateList = stats.GetProperty("lateDossiers").EnumerateArray().ToDictionary(d => d.GetProperty("code").GetString()!);
        Assert.Equal(new[] { counter, late }.Order(), lateList.Keys.Order());
        var lost = Assert.Single(lateList[late].GetProperty("lostTime").EnumerateArray());
        Assert.Equal(("Thụ lý, thẩm định hồ sơ", Users.Specialist.Id), (lost.GetProperty("step").GetString(), lost.GetProperty("official").GetString()));

        using var otherUnit = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/units/000.20.30.H56/statistics?from=2026-11-23&to=2026-11-23", Users.OtherUnitClerk));
        Assert.Equal(HttpStatusCode.Forbidden, otherUnit.StatusCode);
        using var badRange = await app.Http.SendAsync(app.Request(HttpMethod.Get, "/api/units/000.20.30.H56/statistics?from=2026-11-23&to=2025-01-01", Users.Chairman));
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
    }
}
