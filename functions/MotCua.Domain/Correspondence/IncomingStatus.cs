namespace MotCua.Domain.Correspondence;

/// <summary>
/// Where an incoming document stands, numbered as the status codes of QCVN 102 so that the exchange
/// reports them as they are: 01 arrived, 02 returned (refused), 03 registered, 04 directed, 05 being
/// handled, 06 finished.
/// </summary>
public enum IncomingStatus
{
    Arrived = 1,
    Returned = 2,
    Registered = 3,
    Directed = 4,
    InProgress = 5,
    Finished = 6,
}

public static class IncomingStatuses
{
    /// <summary>The two-digit code of QCVN 102's status package.</summary>
    public static string Code(this IncomingStatus status) => ((int)status).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    public static string Name(this IncomingStatus status) => status switch
    {
        IncomingStatus.Arrived => "Chờ vào sổ",
        IncomingStatus.Returned => "Đã trả lại",
        IncomingStatus.Registered => "Chờ chỉ đạo",
        IncomingStatus.Directed => "Đã giao xử lý",
        IncomingStatus.InProgress => "Đang xử lý",
        IncomingStatus.Finished => "Đã xử lý xong",
        _ => status.ToString(),
    };

    /// <summary>Handled, returned: nothing more is done with it.</summary>
    public static bool IsClosed(this IncomingStatus status) => status is IncomingStatus.Finished or IncomingStatus.Returned;
}
