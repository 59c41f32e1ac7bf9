namespace MotCua.Domain.Correspondence;

/// <summary>
/// Urgency (độ khẩn) with the values of QCVN 102's Priority: 0 normal, 1 khẩn, 2 thượng khẩn,
/// 3 hỏa tốc, 4 hỏa tốc hẹn giờ. Higher comes first in every list.
/// </summary>
public static class DocumentPriority
{
    public const int Normal = 0;
    public const int Max = 4;

    private static readonly string[] Names = ["Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc", "Hỏa tốc hẹn giờ"];

    public static bool IsValid(int priority) => priority is >= Normal and <= Max;

    public static bool IsUrgent(int priority) => priority > Normal;

    public static string Name(int priority) => IsValid(priority) ? Names[priority] : priority.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
