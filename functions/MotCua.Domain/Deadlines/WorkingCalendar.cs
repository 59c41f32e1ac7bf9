using MotCua.Domain.Dossiers;

namespace MotCua.Domain.Deadlines;

/// <summary>
/// Working time in Vietnam: weekdays minus public holidays, plus make-up working days (both are data,
/// announced each year), each with the schedule's office hours. All answers are exact instants;
/// inputs may be in any offset.
/// </summary>
public sealed class WorkingCalendar(WorkingDaySchedule schedule, IEnumerable<DateOnly> holidays, IEnumerable<DateOnly>? extraWorkingDays = null)
{
    private readonly HashSet<DateOnly> _holidays = [.. holidays];
    private readonly HashSet<DateOnly> _extraWorkingDays = [.. extraWorkingDays ?? []];

    public WorkingDaySchedule Schedule { get; } = schedule.IsValid ? schedule : throw new ArgumentException("Office hours overlap or are out of order.", nameof(schedule));

    public bool IsWorkingDay(DateOnly day) =>
        _extraWorkingDays.Contains(day) || (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day));

    /// <summary>When the clock of a dossier received at <paramref name="receivedAt"/> starts.</summary>
    public DateTimeOffset ClockStart(DateTimeOffset receivedAt)
    {
        var local = VietnamTime.Local(receivedAt);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (IsWorkingDay(day) && TimeOnly.FromDateTime(local.DateTime) >= Schedule.AfternoonCutOff)
        {
            return PeriodsFrom(day.AddDays(1)).First().Start;
        }
        return NextWorkingInstant(receivedAt);
    }

    /// <summary>The instant <paramref name="workingTime"/> of working time after <paramref name="start"/>.</summary>
    public DateTimeOffset AddWorkingTime(DateTimeOffset start, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingTime.Ticks, nameof(workingTime));
        var left = workingTime;
        var day = DateOnly.FromDateTime(VietnamTime.Local(start).DateTime);
        foreach (var (from, to) in PeriodsFrom(day))
        {
            if (to <= start) continue;
            var begin = from > start ? from : start;
            var available = to - begin;
            if (left <= available) return begin + left;
            left -= available;
        }
        throw new InvalidOperationException("Unreachable: the calendar is endless.");
    }

    /// <summary>
    /// The latest instant that still leaves <paramref name="workingTime"/> of working time before
    /// <paramref name="end"/>: "one working day before the deadline".
    /// </summary>
    public DateTimeOffset SubtractWorkingTime(DateTimeOffset end, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingTime.Ticks, nameof(workingTime));
        if (workingTime == TimeSpan.Zero) return end;
        // Working time between t and end only shrinks as t grows: search for the last t that leaves enough.
        var low = end - TimeSpan.FromDays(Math.Max(14, workingTime.TotalDays * 7 + 14));
        var high = end;
        while (high.UtcTicks - low.UtcTicks > 1)
        {
            var middle = low + (high - low) / 2;
            if (WorkingTimeBetween(middle, end) >= workingTime) low = middle;
            else high = middle;
        }
        // Whole seconds read better, and the next whole second is exact whenever the answer is.
        var rounded = new DateTimeOffset(low.UtcTicks + (TimeSpan.TicksPerSecond - low.UtcTicks % TimeSpan.TicksPerSecond) % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        return WorkingTimeBetween(rounded, end) >= workingTime ? rounded : low;
    }

    /// <summary>Working time from <paramref name="from"/> to <paramref name="to"/>; negative when <paramref name="to"/> is earlier.</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from) return -WorkingTimeBetween(to, from);
        var total = TimeSpan.Zero;
        var day = DateOnly.FromDateTime(VietnamTime.Local(from).DateTime);
        foreach (var (start, end) in PeriodsFrom(day))
        {
            if (start >= to) break;
            if (end <= from) continue;
            total += (end < to ? end : to) - (start > from ? start : from);
        }
        return total;
    }

    /// <summary>The due time of <paramref name="workingDays"/> working days for a dossier received at <paramref name="receivedAt"/>.</summary>
    public DateTimeOffset Due(DateTimeOffset receivedAt, decimal workingDays) =>
        AddWorkingTime(ClockStart(receivedAt), WorkingDays(workingDays));

    public TimeSpan WorkingDays(decimal days) => TimeSpan.FromTicks((long)(Schedule.DayLength.Ticks * days));

    /// <summary>"Còn 1 ngày 3 giờ" or "Quá 2 giờ": working time left to <paramref name="due"/>, in working days and hours.</summary>
    public TimeLeft Remaining(DateTimeOffset now, DateTimeOffset due)
    {
        var left = WorkingTimeBetween(now, due);
        if (left == TimeSpan.Zero && now > due) left = -TimeSpan.FromTicks(1);
        var magnitude = left.Duration();
        var days = (int)(magnitude.Ticks / Schedule.DayLength.Ticks);
        var hours = (int)Math.Ceiling((magnitude - Schedule.DayLength * days).TotalHours - 1e-9);
        if (hours == (int)Schedule.DayLength.TotalHours) (days, hours) = (days + 1, 0);
        // Past due by less than an hour of working time (e.g. checked the evening after a 17:00 deadline): "Quá 1 giờ", never "Quá 0 giờ".
        if (left < TimeSpan.Zero && days == 0 && hours == 0) hours = 1;
        return new TimeLeft(left >= TimeSpan.Zero, days, hours);
    }

    private DateTimeOffset NextWorkingInstant(DateTimeOffset instant)
    {
        var day = DateOnly.FromDateTime(VietnamTime.Local(instant).DateTime);
        foreach (var (start, end) in PeriodsFrom(day))
        {
            if (instant < start) return start;
            if (instant < end) return instant;
        }
        throw new InvalidOperationException("Unreachable: the calendar is endless.");
    }

    private IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> PeriodsFrom(DateOnly day)
    {
        for (var d = day; ; d = d.AddDays(1))
        {
            if (!IsWorkingDay(d)) continue;
            yield return (At(d, Schedule.MorningStart), At(d, Schedule.MorningEnd));
            yield return (At(d, Schedule.AfternoonStart), At(d, Schedule.AfternoonEnd));
        }
    }

    private static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), VietnamTime.Offset);
}

/// <summary>Working time left (or over) in whole working days and started hours.</summary>
public sealed record TimeLeft(bool InTime, int Days, int Hours)
{
    public string Vietnamese => (InTime ? "Còn " : "Quá ") + Describe("ngày", "giờ");

    public string English => Describe("day", "hour", plural: true) + (InTime ? " left" : " over");

    private string Describe(string day, string hour, bool plural = false)
    {
        string Unit(int n, string word) => $"{n} {word}{(plural && n != 1 ? "s" : "")}";
        return (Days, Hours) switch
        {
            (0, var h) => Unit(h, hour),
            (var d, 0) => Unit(d, day),
            var (d, h) => $"{Unit(d, day)} {Unit(h, hour)}",
        };
    }
}
