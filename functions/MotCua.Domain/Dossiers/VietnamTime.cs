namespace MotCua.Domain.Dossiers;

/// <summary>Vietnam keeps UTC+7 all year: dates on codes and forms are Vietnamese dates.</summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static DateTimeOffset Local(DateTimeOffset instant) => instant.ToOffset(Offset);

    public static DateOnly Today(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant).DateTime);
}
