namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>
/// Letters as a ward receives them from the province and its departments, with summaries of the
/// length real ones have (about 200 characters), for measuring what the phone downloads.
/// Shared with the benchmarks.
/// </summary>
public static class IncomingSamples
{
    public sealed record SampleLetter(string SenderName, string Notation, string DocumentType, string Summary);

    public static readonly IReadOnlyList<SampleLetter> Letters =
    [
        new("Ủy ban nhân dân tỉnh Khánh Hòa", "UBND-VP", "Công văn",
            "V/v triển khai thực hiện Kế hoạch số 125/KH-UBND ngày 15/11/2026 của Ủy ban nhân dân tỉnh về tăng cường công tác phòng, chống thiên tai, "
            + "tìm kiếm cứu nạn và khắc phục hậu quả mưa lũ trên địa bàn các xã, phường"),
        new("Sở Nông nghiệp và Môi trường tỉnh Khánh Hòa", "SNNMT-PTNT", "Công văn",
            "V/v báo cáo kết quả thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới và giảm nghèo bền vững giai đoạn 2021 - 2025, "
            + "đề xuất nhiệm vụ, giải pháp trọng tâm năm 2027; báo cáo trước ngày 20/12/2026"),
        new("Văn phòng Ủy ban nhân dân tỉnh Khánh Hòa", "VP-KSTT", "Công văn",
            "V/v rà soát, cập nhật danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của Ủy ban nhân dân cấp xã để tiếp nhận, trả kết quả "
            + "qua dịch vụ bưu chính công ích và dịch vụ công trực tuyến toàn trình"),
        new("Sở Văn hóa, Thể thao và Du lịch tỉnh Khánh Hòa", "SVHTTDL-QLVH", "Kế hoạch",
            "Kế hoạch tổ chức các hoạt động kỷ niệm Ngày Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam và tuyên truyền, phổ biến, "
            + "giáo dục pháp luật cho cán bộ, công chức và Nhân dân trên địa bàn tỉnh"),
        new("Sở Khoa học và Công nghệ tỉnh Khánh Hòa", "SKHCN-CĐS", "Hướng dẫn",
            "Hướng dẫn thực hiện chế độ báo cáo thống kê định kỳ về cải cách hành chính, chuyển đổi số và bảo đảm an toàn thông tin mạng "
            + "trong các cơ quan nhà nước; thời hạn gửi báo cáo trước ngày 15 hằng tháng"),
        new("Sở Tài chính tỉnh Khánh Hòa", "STC-QLNS", "Công văn",
            "V/v hướng dẫn xây dựng dự toán ngân sách nhà nước năm 2027 và kế hoạch tài chính - ngân sách nhà nước 03 năm 2027 - 2029 "
            + "đối với các xã, phường sau sắp xếp đơn vị hành chính cấp xã theo quy định"),
    ];

    /// <summary>The secret paper arrival of the i-th sample letter (no files: its metadata only).</summary>
    public static object SecretArrival(int i)
    {
        var letter = Letters[i % Letters.Count];
        return new
        {
            secret = true, senderName = letter.SenderName, number = (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            notation = letter.Notation, documentDate = "2026-11-15", documentType = letter.DocumentType, summary = letter.Summary,
        };
    }
}
