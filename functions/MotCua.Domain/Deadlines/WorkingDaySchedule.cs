namespace MotCua.Domain.Deadlines;

/// <summary>
/// Office hours of a working day, in Vietnam time: a morning and an afternoon period (8 hours by
/// default), and the afternoon cut-off after which a dossier received counts from the next working day.
/// </summary>
public sealed record WorkingDaySchedule(TimeOnly MorningStart, TimeOnly MorningEnd, TimeOnly AfternoonStart, TimeOnly AfternoonEnd, TimeOnly AfternoonCutOff)
{
    public static readonly WorkingDaySchedule Default = new(new(7, 30), new(11, 30), new(13, 0), new(17, 0), new(16, 0));

    public TimeSpan DayLength => (MorningEnd - MorningStart) + (AfternoonEnd - AfternoonStart);

    public bool IsValid =>
        MorningStart < MorningEnd && MorningEnd <= AfternoonStart && AfternoonStart < AfternoonEnd
        && AfternoonCutOff >= AfternoonStart && AfternoonCutOff <= AfternoonEnd;
}
