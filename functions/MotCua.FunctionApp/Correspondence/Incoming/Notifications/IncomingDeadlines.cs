using MotCua.Domain.Deadlines;
using MotCua.Domain.Dossiers;

namespace MotCua.FunctionApp.Correspondence.Incoming.Notifications;

/// <summary>
/// When a handler's time limit (a day) is recalled: it ends when office hours end that day; "due
/// soon" leaves one working day of working time before that end; the first chase comes when the
/// first working day after the limit opens, and each later chase when the next working day opens.
/// </summary>
public static class IncomingDeadlines
{
    /// <summary>The end of the limit's day: finishing that day is on time.</summary>
    public static DateTimeOffset End(WorkingDaySchedule schedule, DateOnly due) => new(due.ToDateTime(schedule.AfternoonEnd), VietnamTime.Offset);

    /// <summary>The latest instant that still leaves <paramref name="before"/> of working time before the limit ends.</summary>
    public static DateTimeOffset DueSoonAt(WorkingCalendar calendar, DateOnly due, TimeSpan before) =>
        calendar.SubtractWorkingTime(End(calendar.Schedule, due), before);

    /// <summary>When the first working day after the limit opens.</summary>
    public static DateTimeOffset FirstChaseAt(WorkingCalendar calendar, DateOnly due) =>
        NextOpening(calendar, new DateTimeOffset(due.ToDateTime(TimeOnly.MaxValue), VietnamTime.Offset));

    /// <summary>The first opening of a working day strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset NextOpening(WorkingCalendar calendar, DateTimeOffset after)
    {
        for (var day = VietnamTime.Today(after); ; day = day.AddDays(1))
        {
            if (!calendar.IsWorkingDay(day)) continue;
            var opening = new DateTimeOffset(day.ToDateTime(calendar.Schedule.MorningStart), VietnamTime.Offset);
            if (opening > after) return opening;
        }
    }
}
