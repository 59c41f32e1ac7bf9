using MotCua.Domain.Deadlines;
using MotCua.Domain.Dossiers;
using Xunit;

namespace MotCua.Domain.Tests;

public sealed class WorkingCalendarTests
{
    // 2026: Tết holidays 14–22 Feb (Sat 14 to Sun 22), 30 Apr, 1 May, 2 Sep; Saturday 7 Feb made up as a working day.
    private static readonly DateOnly[] Holidays2026 =
        [.. Enumerable.Range(14, 9).Select(d => new DateOnly(2026, 2, d)), new(2026, 4, 30), new(2026, 5, 1), new(2026, 9, 2)];

    private static readonly WorkingCalendar Calendar = new(WorkingDaySchedule.Default, Holidays2026, [new DateOnly(2026, 2, 7)]);

    private static DateTimeOffset Vn(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, VietnamTime.Offset);

    [Fact]
    public void Due_OneDayFromMondayMorning_IsMondayEvening() =>
        Assert.Equal(Vn(11, 23, 17), Calendar.Due(Vn(11, 23, 7, 30), 1));

    [Fact]
    public void Due_ReceivedAfterCutOff_CountsFromTheNextWorkingDay() =>
        Assert.Equal(Vn(11, 24, 17), Calendar.Due(Vn(11, 23, 16, 30), 1));

    [Fact]
    public void Due_ReceivedFridayAfternoon_SkipsTheWeekend() =>
        Assert.Equal(Vn(11, 23, 14), Calendar.Due(Vn(11, 20, 14), 1));

    [Fact]
    public void Due_AcrossTet_SkipsTheHolidaysAndUsesTheMakeUpSaturday()
    {
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2026, 2, 7)));
        // Thursday 12 Feb 08:00 + 24 working hours: Thu 7.5 h, Fri 8 h, Tết until Sun 22, Mon 23 8 h, Tue 24 0.5 h.
        Assert.Equal(Vn(2, 24, 8), Calendar.Due(Vn(2, 12, 8), 3));
    }

    [Fact]
    public void Due_ReceivedDuringLunch_StartsAfterLunch() =>
        Assert.Equal(Vn(11, 24, 11, 30), Calendar.Due(Vn(11, 23, 12), 1));

    [Theory]
    [InlineData(11, 23, 8, 11, 24, 12, true, 1, 4)]  // 11.5 h: a started hour counts
    [InlineData(11, 23, 15, 11, 23, 17, true, 0, 2)]
    [InlineData(11, 24, 9, 11, 23, 17, false, 0, 2)]
    [InlineData(11, 27, 10, 11, 23, 17, false, 3, 3)]
    [InlineData(11, 23, 18, 11, 23, 17, false, 0, 1)]  // the evening after a 17:00 deadline: "Quá 1 giờ", not "Quá 0 giờ"
    public void Remaining_SaysDaysAndHoursLeftOrOver(int m1, int d1, int h1, int m2, int d2, int h2, bool inTime, int days, int hours)
    {
        var left = Calendar.Remaining(Vn(m1, d1, h1), Vn(m2, d2, h2));
        Assert.Equal((inTime, days, hours), (left.InTime, left.Days, left.Hours));
    }

    [Fact]
    public void Remaining_Wording_IsVietnameseAndEnglish()
    {
        var left = new TimeLeft(true, 1, 3);
        Assert.Equal("Còn 1 ngày 3 giờ", left.Vietnamese);
        Assert.Equal("1 day 3 hours left", left.English);
        Assert.Equal("Quá 2 giờ", new TimeLeft(false, 0, 2).Vietnamese);
    }

    [Fact]
    public void Deadline_PausedAndResumed_GivesBackTheTimeThatWasLeft()
    {
        var due = new Deadline(Vn(11, 25, 17));
        var paused = due.Pause(Calendar, Vn(11, 24, 17));            // 1 working day left
        var resumed = paused.Resume(Calendar, Vn(12, 1, 9));         // a week later, Tuesday 09:00
        Assert.Equal(Vn(12, 2, 9), resumed.DueAt);
        Assert.False(resumed.IsPaused);
    }

    [Theory]
    [InlineData(11, 24, 10, Timeliness.BeforeDeadline)]
    [InlineData(11, 25, 16, Timeliness.OnTime)]
    [InlineData(11, 25, 17, Timeliness.OnTime)]
    [InlineData(11, 26, 8, Timeliness.Late)]
    public void Classify_FinishedAgainstTheDueTime(int month, int day, int hour, Timeliness expected) =>
        Assert.Equal(expected, Deadline.Classify(Vn(month, day, hour), Vn(11, 25, 17)));

    // Properties over many random instants and durations, from a fixed seed so a failure can be replayed.
    public static TheoryData<int> Seeds => [1, 2, 3, 4, 5];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AddThenMeasure_GivesBackTheDuration(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 400; i++)
        {
            var (start, duration) = (RandomInstant(random), RandomDuration(random));
            var end = Calendar.AddWorkingTime(start, duration);
            Assert.Equal(duration, Calendar.WorkingTimeBetween(start, end));
            Assert.Equal(-duration, Calendar.WorkingTimeBetween(end, start));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Add_IsAdditiveMonotonicAndLandsInOfficeHours(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 400; i++)
        {
            var start = RandomInstant(random);
            var (a, b) = (RandomDuration(random), RandomDuration(random));
            Assert.Equal(Calendar.AddWorkingTime(start, a + b), Calendar.AddWorkingTime(Calendar.AddWorkingTime(start, a), b));
            var (shorter, longer) = a <= b ? (a, b) : (b, a);
            Assert.True(Calendar.AddWorkingTime(start, shorter) <= Calendar.AddWorkingTime(start, longer));

            var end = VietnamTime.Local(Calendar.AddWorkingTime(start, a + TimeSpan.FromMinutes(1)));
            var time = TimeOnly.FromDateTime(end.DateTime);
            var schedule = Calendar.Schedule;
            Assert.True(Calendar.IsWorkingDay(DateOnly.FromDateTime(end.DateTime)), $"{end} is not a working day");
            Assert.True((time > schedule.MorningStart && time <= schedule.MorningEnd) || (time > schedule.AfternoonStart && time <= schedule.AfternoonEnd),
                $"{end} is outside office hours");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Due_IsNeverBeforeReceiptAndGrowsWithTheDays(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 300; i++)
        {
            var received = RandomInstant(random);
            var days = random.Next(0, 40);
            var due = Calendar.Due(received, days);
            Assert.True(due >= received);
            Assert.True(Calendar.Due(received, days + 1) > due);
            Assert.Equal(Calendar.WorkingDays(days), Calendar.WorkingTimeBetween(Calendar.ClockStart(received), due));
        }
    }

    private static DateTimeOffset RandomInstant(Random random) =>
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 365 * 24 * 60));

    private static TimeSpan RandomDuration(Random random) => TimeSpan.FromMinutes(random.Next(0, 30 * 8 * 60));

    [Fact]
    public void SubtractWorkingTime_OneWorkingDayBeforeAMondayDeadline_IsTheFridayBefore()
    {
        // Monday 23 Nov 2026, 10:00 in Vietnam; eight working hours earlier is Friday 20 Nov, 10:00.
        var due = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(7));
        var reminder = Calendar.SubtractWorkingTime(due, TimeSpan.FromHours(8));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(7)), reminder.ToOffset(TimeSpan.FromHours(7)));
    }

    [Fact]
    public void SubtractWorkingTime_LeavesExactlyThatWorkingTime_ForRandomDeadlines()
    {
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var due = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 365 * 24 * 60));
            var before = TimeSpan.FromMinutes(random.Next(1, 5 * 8 * 60));
            var at = Calendar.SubtractWorkingTime(due, before);
            Assert.True(at <= due);
            var left = Calendar.WorkingTimeBetween(at, due);
            Assert.True(left >= before && left - before <= TimeSpan.FromSeconds(1), $"{due:o} minus {before}: {at:o} leaves {left}");
        }
    }
}
