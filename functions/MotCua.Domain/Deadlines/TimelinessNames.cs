namespace MotCua.Domain.Deadlines;

/// <summary>The classification as the one-stop statistics and the citizen read it.</summary>
public static class TimelinessNames
{
    public static string Vietnamese(this Timeliness timeliness) => timeliness switch
    {
        Timeliness.BeforeDeadline => "Trước hạn",
        Timeliness.OnTime => "Đúng hạn",
        Timeliness.Late => "Quá hạn",
        _ => throw new ArgumentOutOfRangeException(nameof(timeliness), timeliness, null),
    };

    public static string English(this Timeliness timeliness) => timeliness switch
    {
        Timeliness.BeforeDeadline => "Before the deadline",
        Timeliness.OnTime => "On time",
        Timeliness.Late => "Late",
        _ => throw new ArgumentOutOfRangeException(nameof(timeliness), timeliness, null),
    };
}
