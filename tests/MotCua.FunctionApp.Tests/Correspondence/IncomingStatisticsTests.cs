using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Correspondence.IncomingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

[Collection(AzuriteCollection.Name)]
public sealed class IncomingStatisticsTests
{
    private static DateTimeOffset At(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.FromHours(7));

    private sealed record Expected(int Received, int Electronic, int Paper, int Returned, int Registered, int Awaiting, int OnTime, int Late, int Open, int Overdue,
        double? OnTimeRate, double? ElectronicShare, string ByDepartment, string ByHandler);

    [Fact]
    public async Task Two_weeks_of_incoming_documents_match_a_hand_count()
    {
        var time = new FakeTimeProvider(At(10, 30, 9));
        await using var app = await TestApp.StartAsync(time: time);
        using var phone = new Phone();
        await phone.RegisterAsync(app, Users.Leader);
        var scan = Scans.TextPdf(["Công văn", "V/v báo cáo số liệu"]);
        var unsigned = Scans.TextPdf(["Công văn điện tử chưa ký số"]);

        static Answer Ok(Answer answer)
        {
            Assert.True(answer.Status == HttpStatusCode.OK, answer.Body.ToString());
            return answer;
        }
        async Task<Answer> DirectAsync(string id, Answer current, string lead, string due) => Ok(await StepAsync(app, id, "direction", Users.Leader,
            DirectionSignedAt(phone, time.GetUtcNow(), (id, current.Version), lead, due, "Giao xử lý, báo cáo kết quả."), current.ETag));
        async Task<Answer> AssignAsync(string id, Answer current, CurrentUser officer, string due) =>
            Ok(await StepAsync(app, id, "assignment", Users.DepartmentHead, new { officer = officer.Id, dueDate = due, comment = "Xử lý." }, current.ETag));
        async Task FinishAsync(string id, CurrentUser by)
        {
            var current = await GetAsync(app, id, by);
            Ok(await StepAsync(app, id, "finish", by, new { result = "Đã xử lý xong.", replyDocumentId = (string?)null }, current.ETag));
        }
        async Task<string> SecretAsync(string number) => await ArrivePaperAsync(app, PaperLetter(number, $"Văn bản mật số {number}", secret: true));
        async Task ReturnAsync(string id)
        {
            var arrived = await CheckedAsync(app, id, Users.RecordsClerk);
            Ok(await StepAsync(app, id, "return", Users.RecordsClerk, new { reason = "Văn bản điện tử chưa được ký số." }, arrived.ETag));
        }

        // Friday before period A: carried is directed to the culture department and passed to officer-001, due Wednesday 4 Nov.
        var carried = await SecretAsync("1");
        var carriedDirected = await DirectAsync(carried, await RegisterAsync(app, carried), DemoData.CultureDepartment, "2026-11-04");
        await AssignAsync(carried, carriedDirected, Users.Officer, "2026-11-04");

        // Period A, Monday 2 Nov.
        time.SetUtcNow(At(11, 2, 8));
        var returnedA = await ArriveAsync(app, Letter(number: "501", date: "2026-10-30"), unsigned);
        await ReturnAsync(returnedA);
        var awaiting = await ArriveAsync(app, Letter(number: "502", date: "2026-10-30"), unsigned);
        var paperA = await ArrivePaperAsync(app, PaperLetter("601", "Về việc báo cáo số liệu quý IV"), ("cong-van-601.pdf", scan));
        await DirectAsync(paperA, await RegisterAsync(app, paperA), Users.OtherDepartmentOfficer.Id, "2026-11-06");
        var lateInB = await SecretAsync("2");
        await DirectAsync(lateInB, await RegisterAsync(app, lateInB), DemoData.CultureDepartment, "2026-11-10");

        // Wednesday 4 Nov: overdue is due Friday 6 Nov and never finished.
        time.SetUtcNow(At(11, 4, 9));
        var overdue = await SecretAsync("3");
        await AssignAsync(overdue, await DirectAsync(overdue, await RegisterAsync(app, overdue), DemoData.CultureDepartment, "2026-11-06"), Users.Officer, "2026-11-06");

        // Thursday 5 Nov: carried finishes a day late, paperA a day early.
        time.SetUtcNow(At(11, 5, 10));
        await FinishAsync(carried, Users.Officer);
        await FinishAsync(paperA, Users.OtherDepartmentOfficer);

        // Saturday 7 Nov: arrives in A, registered Monday 9 Nov in B.
        time.SetUtcNow(At(11, 7, 9));
        var registeredInB = await SecretAsync("4");

        // Period B.
        time.SetUtcNow(At(11, 9, 8));
        await RegisterAsync(app, registeredInB);
        time.SetUtcNow(At(11, 10, 9));
        var paperB = await ArrivePaperAsync(app, PaperLetter("602", "Về việc tổng hợp ý kiến cử tri"), ("cong-van-602.pdf", scan));
        await DirectAsync(paperB, await RegisterAsync(app, paperB), Users.Officer.Id, "2026-11-12");
        var returnedB = await ArriveAsync(app, Letter(number: "503", date: "2026-11-09"), unsigned);
        await ReturnAsync(returnedB);
        time.SetUtcNow(At(11, 11, 10));
        await FinishAsync(lateInB, Users.DepartmentHead);
        time.SetUtcNow(At(11, 12, 15));
        var started = await GetAsync(app, paperB, Users.Officer);
        Ok(await StepAsync(app, paperB, "progress", Users.Officer, new { note = "Đã tổng hợp." }, started.ETag));
        await FinishAsync(paperB, Users.Officer);

        // After B: counts in neither period.
        time.SetUtcNow(At(11, 16, 8));
        await RegisterAsync(app, await SecretAsync("5"));

        time.SetUtcNow(At(11, 20, 10));
        var periodA = Ok(await FiguresAsync(app, "2026-11-02", "2026-11-08", Users.RecordsClerk)).Body;
        var periodB = Ok(await FiguresAsync(app, "2026-11-09", "2026-11-15", Users.Officer)).Body;

        // Counted by hand. A period's figures: documents that arrived in it; those finished in it, on time when not after
        // their handler's limit; those registered and not finished at its end, overdue when their limit is before that day.
        // A department's document counts for its handler once passed on, or for whoever finishes it.
        var expectedA = new Expected(
            Received: 6,          // returnedA, awaiting, paperA, lateInB, overdue, registeredInB
            Electronic: 2,        // returnedA, awaiting
            Paper: 4,
            Returned: 1,          // returnedA
            Registered: 4,        // paperA, lateInB, overdue, registeredInB (on 9 Nov: to date)
            Awaiting: 1,          // awaiting
            OnTime: 1,            // paperA, finished 5 Nov, due 6 Nov
            Late: 1,              // carried, finished 5 Nov, due 4 Nov (carried over from October)
            Open: 2,              // lateInB (due 10 Nov), overdue; registeredInB was registered after A
            Overdue: 1,           // overdue, due 6 Nov
            OnTimeRate: 0.5,
            ElectronicShare: 0.3333,
            ByDepartment: "001.20.30.H56 Phòng Văn hóa - Xã hội 0/1/2/1 | 002.20.30.H56 Phòng Kinh tế, Hạ tầng và Đô thị 1/0/0/0",
            ByHandler: "officer-001 Lê Minh Tuấn 0/1/1/1 | officer-002 Vũ Đức Anh 1/0/0/0");
        var expectedB = new Expected(
            Received: 2,          // paperB, returnedB
            Electronic: 1,        // returnedB
            Paper: 1,
            Returned: 1,
            Registered: 1,        // paperB
            Awaiting: 0,
            OnTime: 1,            // paperB, finished on its limit day, 12 Nov
            Late: 1,              // lateInB, finished 11 Nov, due 10 Nov
            Open: 2,              // overdue, registeredInB (not directed yet)
            Overdue: 1,           // overdue
            OnTimeRate: 0.5,
            ElectronicShare: 0.5,
            ByDepartment: "001.20.30.H56 Phòng Văn hóa - Xã hội 1/1/1/1",
            ByHandler: "department-head-001 Trần Thị Thu 0/1/0/0 | officer-001 Lê Minh Tuấn 1/0/1/1");
        Assert.Equal(expectedA, Read(periodA));
        Assert.Equal(expectedB, Read(periodB));

        // The period running now: open and overdue are taken now.
        var thisWeek = Ok(await FiguresAsync(app, "2026-11-16", "2026-11-22", Users.Admin)).Body;
        Assert.Equal((1, 3, 1), (thisWeek.GetProperty("received").GetInt32(), thisWeek.GetProperty("open").GetInt32(), thisWeek.GetProperty("overdue").GetInt32()));
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
        await using var app = await TestApp.StartAsync();
        var answer = await GetJsonAsync(app, $"/api/agencies/{Ward}/incoming/statistics?{query}", Users.RecordsClerk);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(answer.Body.GetProperty("type").GetString(), new[] { "https://motcua.vn/problems/invalid-fields", "https://motcua.vn/problems/malformed-request" });
    }

    [Fact]
    public async Task Only_the_agencys_officials_and_administrators_see_its_figures()
    {
        await using var app = await TestApp.StartAsync();
        await ArrivePaperAsync(app, PaperLetter("7", "Văn bản mật", secret: true));
        const string Period = "from=2026-01-01&to=2026-12-31";
        Assert.Equal(HttpStatusCode.Forbidden, (await GetJsonAsync(app, $"/api/agencies/{Ward}/incoming/statistics?{Period}", Users.OtherAgencyRecordsClerk)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetJsonAsync(app, $"/api/agencies/{Ward}/incoming/statistics?{Period}", Users.Citizen)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetJsonAsync(app, $"/api/agencies/{DemoData.CamLamCommune}/incoming/statistics?{Period}", Users.RecordsClerk)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetJsonAsync(app, $"/api/agencies/{Ward}/incoming/statistics?{Period}", null)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetJsonAsync(app, $"/api/agencies/khong-phai-ma/incoming/statistics?{Period}", Users.Admin)).Status);
        // The other agency's figures hold nothing of this one's.
        var other = await GetJsonAsync(app, $"/api/agencies/{DemoData.CamLamCommune}/incoming/statistics?{Period}", Users.OtherAgencyRecordsClerk);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Equal(0, other.Body.GetProperty("received").GetInt32());
        var own = await GetJsonAsync(app, $"/api/agencies/{Ward}/incoming/statistics?from={DateTime.UtcNow.AddHours(7):yyyy-MM-dd}&to={DateTime.UtcNow.AddHours(7):yyyy-MM-dd}",
            Users.DepartmentHead);
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal(1, own.Body.GetProperty("received").GetInt32());
    }

    private static Task<Answer> FiguresAsync(TestApp app, string from, string to, CurrentUser user) =>
        GetJsonAsync(app, $"/api/agencies/{Ward}/incoming/statistics?from={from}&to={to}", user);

    private static Expected Read(JsonElement b)
    {
        static string Groups(JsonElement groups) => string.Join(" | ", groups.EnumerateArray().Select(g =>
            $"{g.GetProperty("id").GetString()} {g.GetProperty("name").GetString()} {g.GetProperty("onTime").GetInt32()}/{g.GetProperty("late").GetInt32()}/"
            + $"{g.GetProperty("open").GetInt32()}/{g.GetProperty("overdue").GetInt32()}"));
        static double? Rate(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();
        return new Expected(b.GetProperty("received").GetInt32(), b.GetProperty("electronic").GetInt32(), b.GetProperty("paper").GetInt32(),
            b.GetProperty("returned").GetInt32(), b.GetProperty("registered").GetInt32(), b.GetProperty("awaitingRegistration").GetInt32(),
            b.GetProperty("finishedOnTime").GetInt32(), b.GetProperty("finishedLate").GetInt32(), b.GetProperty("open").GetInt32(), b.GetProperty("overdue").GetInt32(),
            Rate(b.GetProperty("onTimeRate")), Rate(b.GetProperty("electronicShare")), Groups(b.GetProperty("byDepartment")), Groups(b.GetProperty("byHandler")));
    }
}
