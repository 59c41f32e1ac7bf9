namespace MotCua.Domain.Dossiers;

/// <summary>
/// The national public-service portal's status codes (1–10). <see cref="Receiving"/> is internal:
/// the dossier exists but its documents are still being taken in, so the portal has not seen it.
/// </summary>
public enum DossierStatus
{
    Receiving = 0,
    Registered = 1,
    Accepted = 2,
    RefusedAtIntake = 3,
    InProgress = 4,
    SupplementRequested = 5,
    FeesRequested = 6,
    Withdrawn = 7,
    Stopped = 8,
    Resolved = 9,
    Returned = 10,
}

public static class DossierStatusNames
{
    public static string Vietnamese(this DossierStatus status) => status switch
    {
        DossierStatus.Receiving => "Đang tiếp nhận tài liệu",
        DossierStatus.Registered => "Mới đăng ký",
        DossierStatus.Accepted => "Được tiếp nhận",
        DossierStatus.RefusedAtIntake => "Không được tiếp nhận",
        DossierStatus.InProgress => "Đang xử lý",
        DossierStatus.SupplementRequested => "Yêu cầu bổ sung giấy tờ",
        DossierStatus.FeesRequested => "Yêu cầu thực hiện nghĩa vụ tài chính",
        DossierStatus.Withdrawn => "Công dân yêu cầu rút hồ sơ",
        DossierStatus.Stopped => "Dừng xử lý",
        DossierStatus.Resolved => "Đã xử lý xong",
        DossierStatus.Returned => "Đã trả kết quả",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string English(this DossierStatus status) => status switch
    {
        DossierStatus.Receiving => "Receiving documents",
        DossierStatus.Registered => "Registered",
        DossierStatus.Accepted => "Accepted",
        DossierStatus.RefusedAtIntake => "Refused at intake",
        DossierStatus.InProgress => "In progress",
        DossierStatus.SupplementRequested => "Supplement requested",
        DossierStatus.FeesRequested => "Fees requested",
        DossierStatus.Withdrawn => "Withdrawn by the applicant",
        DossierStatus.Stopped => "Processing stopped",
        DossierStatus.Resolved => "Result ready",
        DossierStatus.Returned => "Result returned",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
