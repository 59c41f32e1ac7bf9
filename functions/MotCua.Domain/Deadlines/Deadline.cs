using MotCua.Domain.Dossiers;

namespace MotCua.Domain.Deadlines;

public enum Timeliness
{
    /// <summary>Trước hạn: finished on a day before the due day.</summary>
    BeforeDeadline,

    /// <summary>Đúng hạn: finished on the due day, by the due time.</summary>
    OnTime,

    /// <summary>Quá hạn: finished after the due time; an apology with a new date is owed.</summary>
    Late,
}

/// <summary>
/// A running deadline: the due time, and while paused (waiting for a supplement or fees) the working
/// time that was left, so resuming gives back exactly that much.
/// </summary>
public sealed record Deadline(DateTimeOffset DueAt, DateTimeOffset? PausedAt = null, TimeSpan? LeftAtPause = null)
{
    public bool IsPaused => PausedAt is not null;

    public Deadline Pause(WorkingCalendar calendar, DateTimeOffset now) =>
        IsPaused ? this : this with { PausedAt = now, LeftAtPause = calendar.WorkingTimeBetween(now, DueAt) };

    /// <summary>Gives back the working time left at the pause; a deadline already missed stays missed.</summary>
    public Deadline Resume(WorkingCalendar calendar, DateTimeOffset now) => LeftAtPause switch
    {
        null => this,
        { Ticks: > 0 } left => new Deadline(calendar.AddWorkingTime(now, left)),
        _ => new Deadline(DueAt),
    };

    public static Timeliness Classify(DateTimeOffset finishedAt, DateTimeOffset dueAt) =>
        finishedAt > dueAt ? Timeliness.Late
        : VietnamTime.Today(finishedAt) < VietnamTime.Today(dueAt) ? Timeliness.BeforeDeadline
        : Timeliness.OnTime;
}
