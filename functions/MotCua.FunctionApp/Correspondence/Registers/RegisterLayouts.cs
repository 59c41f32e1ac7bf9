using MotCua.FunctionApp.Forms;

namespace MotCua.FunctionApp.Correspondence.Registers;

/// <summary>How a register prints: its title and its columns, in order, with their relative widths.</summary>
/// <param name="Key">A stable name for the register (used in routes and file names).</param>
public sealed record RegisterLayout(string Key, string Title, IReadOnlyList<TableColumn> Columns);

/// <summary>
/// The registers of correspondence as the records clerk prints them. The columns are set by
/// regulation (the incoming and outgoing registers by Decree 30/2020/NĐ-CP): when a regulation changes them, change
/// the lists here; a row's cells come in the same order as the columns.
/// </summary>
public static class RegisterLayouts
{
    /// <summary>Sổ đăng ký văn bản đến.</summary>
    public static RegisterLayout Incoming { get; } = new("incoming", "Sổ đăng ký văn bản đến",
    [
        new("Ngày đến", 1.05),
        new("Số đến", 0.8),
        new("Tác giả (cơ quan ban hành)", 1.7),
        new("Số, ký hiệu văn bản", 1.5),
        new("Ngày tháng văn bản", 1.05),
        new("Tên loại và trích yếu nội dung", 3.3),
        new("Đơn vị hoặc người nhận", 1.5),
        new("Ngày chuyển", 1.05),
        new("Ký nhận", 0.9),
        new("Ghi chú", 1.1),
    ]);

    /// <summary>Sổ theo dõi giải quyết văn bản đến.</summary>
    public static RegisterLayout FollowUp { get; } = new("follow-up", "Sổ theo dõi giải quyết văn bản đến",
    [
        new("Số đến", 0.8),
        new("Ngày đến", 1.05),
        new("Tên loại, số, ký hiệu, ngày tháng và trích yếu văn bản", 4.3),
        new("Đơn vị hoặc người chủ trì", 1.7),
        new("Thời hạn giải quyết", 1.1),
        new("Tiến độ giải quyết", 2.0),
        new("Số, ký hiệu văn bản trả lời", 1.5),
        new("Ghi chú", 1.1),
    ]);

    /// <summary>Sổ đăng ký văn bản đi, one per numbering series.</summary>
    public static RegisterLayout Outgoing { get; } = new("outgoing", "Sổ đăng ký văn bản đi",
    [
        new("Số, ký hiệu văn bản", 1.5),
        new("Ngày tháng văn bản", 1.1),
        new("Tên loại và trích yếu nội dung", 2.4),
        new("Người ký", 1.2),
        new("Nơi nhận văn bản", 1.6),
        new("Đơn vị, người nhận bản lưu", 1.2),
        new("Số lượng bản", 0.65),
        new("Ngày chuyển", 1.1),
        new("Ký nhận", 1.8),
        new("Ghi chú", 1.1),
    ]);

    public static IReadOnlyList<RegisterLayout> All { get; } = [Incoming, FollowUp, Outgoing];
}
