using MotCua.Domain.Correspondence;

namespace MotCua.Domain.Tests.Correspondence;

/// <summary>
/// What each reading of each sample letter (tests/MotCua.FunctionApp.Tests/Infrastructure/SampleLetters.cs)
/// must suggest, keyed "letter.reading". Shared by the domain tests, which read the committed
/// texts, and the app's tests, which read the letters live with poppler and tesseract.
/// Each value is what the letter prints, except where a comment says what OCR misread: the
/// suggestion then carries the misreading for the clerk to correct, or null where the field
/// cannot be read.
/// </summary>
public static class SampleLetterSuggestions
{
    public static readonly IReadOnlyDictionary<string, LetterSuggestion> Expected = new Dictionary<string, LetterSuggestion>
    {
        ["cong-van-ubnd-tinh.text"] = new("123", "UBND-VP", new DateOnly(2026, 11, 15), "Khánh Hòa", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Công văn",
            "V/v tăng cường công tác phòng, chống thiên tai mùa mưa bão năm 2026", 1, false),
        ["cong-van-ubnd-tinh.scan"] = new("123", "UBND-VP", new DateOnly(2026, 11, 15), "Khánh Hòa", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Công văn",
            "V/v tăng cường công tác phòng, chống thiên tai mùa mưa bão năm 2026", 1, false),
        // OCR: a stray "công," read at the end of the first line of the summary.
        ["cong-van-ubnd-tinh.worn"] = new("123", "UBND-VP", new DateOnly(2026, 11, 15), "Khánh Hòa", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Công văn",
            "V/v tăng cường công tác phòng, chống công, thiên tai mùa mưa bão năm 2026", 1, false),
        ["cong-van-vpcp-hoa-toc.text"] = new("7816", "VPCP-TTĐT", new DateOnly(2026, 9, 30), "Hà Nội", "VĂN PHÒNG CHÍNH PHỦ", "Công văn",
            "V/v cung cấp thông tin cho Cổng Thông tin điện tử Chính phủ", 3, false),
        ["cong-van-vpcp-hoa-toc.scan"] = new("7816", "VPCP-TTĐT", new DateOnly(2026, 9, 30), "Hà Nội", "VĂN PHÒNG CHÍNH PHỦ", "Công văn",
            "V/v cung cấp thông tin cho Cổng Thông tin điện tử Chính phủ", 3, false),
        // OCR: "cho Cổng" read as "cho-Cổng bệnh".
        ["cong-van-vpcp-hoa-toc.worn"] = new("7816", "VPCP-TTĐT", new DateOnly(2026, 9, 30), "Hà Nội", "VĂN PHÒNG CHÍNH PHỦ", "Công văn",
            "V/v cung cấp thông tin cho-Cổng bệnh Thông tin điện tử Chính phủ", 3, false),
        ["quyet-dinh-qppl.text"] = new("45", "2026/QĐ-UBND", new DateOnly(2026, 12, 3), "Khánh Hòa", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Quyết định",
            "Ban hành Quy định về quản lý, sử dụng nhà văn hóa thôn, tổ dân phố trên địa bàn tỉnh Khánh Hòa", 0, false),
        ["quyet-dinh-qppl.scan"] = new("45", "2026/QĐ-UBND", new DateOnly(2026, 12, 3), "Khánh Hòa", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Quyết định",
            "Ban hành Quy định về quản lý, sử dụng nhà văn hóa thôn, tổ dân phố trên địa bàn tỉnh Khánh Hòa", 0, false),
        ["quyet-dinh-qppl.worn"] = new("45", "2026/QĐ-UBND", new DateOnly(2026, 12, 3), "Khánh Hòa", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Quyết định",
            "Ban hành Quy định về quản lý, sử dụng nhà văn hóa thôn, tổ dân phố trên địa bàn tỉnh Khánh Hòa", 0, false),
        ["quyet-dinh-so-tu-phap.text"] = new("312", "QĐ-STP", new DateOnly(2026, 10, 20), "Khánh Hòa", "SỞ TƯ PHÁP", "Quyết định",
            "Về việc công bố danh mục thủ tục hành chính được chuẩn hóa trong lĩnh vực hộ tịch", 0, false),
        ["quyet-dinh-so-tu-phap.scan"] = new("312", "QĐ-STP", new DateOnly(2026, 10, 20), "Khánh Hòa", "SỞ TƯ PHÁP", "Quyết định",
            "Về việc công bố danh mục thủ tục hành chính được chuẩn hóa trong lĩnh vực hộ tịch", 0, false),
        ["quyet-dinh-so-tu-phap.worn"] = new("312", "QĐ-STP", new DateOnly(2026, 10, 20), "Khánh Hòa", "SỞ TƯ PHÁP", "Quyết định",
            "Về việc công bố danh mục thủ tục hành chính được chuẩn hóa trong lĩnh vực hộ tịch", 0, false),
        ["thong-bao-so-noi-vu.text"] = new("208", "TB-SNV", new DateOnly(2026, 10, 28), "Khánh Hòa", "SỞ NỘI VỤ", "Thông báo",
            "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 10 năm 2026", 0, false),
        ["thong-bao-so-noi-vu.scan"] = new("208", "TB-SNV", new DateOnly(2026, 10, 28), "Khánh Hòa", "SỞ NỘI VỤ", "Thông báo",
            "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 10 năm 2026", 0, false),
        // OCR: "tháng" read as "nhàng", a speck as "Si".
        ["thong-bao-so-noi-vu.worn"] = new("208", "TB-SNV", new DateOnly(2026, 10, 28), "Khánh Hòa", "SỞ NỘI VỤ", "Thông báo",
            "Kết luận của Giám đốc Sở tại cuộc họp giao ban nhàng 10 năm 2026 Si", 0, false),
        ["giay-moi-ubnd-phuong.text"] = new("15", "GM-UBND", new DateOnly(2027, 1, 5), "Nha Trang", "ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG", "Giấy mời",
            "Dự hội nghị tổng kết công tác cải cách hành chính năm 2026", 0, false),
        ["giay-moi-ubnd-phuong.scan"] = new("15", "GM-UBND", new DateOnly(2027, 1, 5), "Nha Trang", "ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG", "Giấy mời",
            "Dự hội nghị tổng kết công tác cải cách hành chính năm 2026", 0, false),
        // OCR: the year read as "Saa": no date, the place still; "TRANG" read as "TRẠNG".
        ["giay-moi-ubnd-phuong.worn"] = new("15", "GM-UBND", null, "Nha Trang", "ỦY BAN NHÂN DÂN PHƯỜNG NHA TRẠNG", "Giấy mời",
            "Dự hội nghị tổng kết công tác cải cách hành chính năm 2026", 0, false),
        ["bao-cao-mat.text"] = new("56", "BC-PTM", new DateOnly(2026, 11, 2), "Khánh Hòa", "PHÒNG THAM MƯU", "Báo cáo",
            "Tình hình an ninh, trật tự trên địa bàn tỉnh tháng 10 năm 2026", 0, true),
        // OCR: tesseract read "an ninh" as "an nỉnh".
        ["bao-cao-mat.scan"] = new("56", "BC-PTM", new DateOnly(2026, 11, 2), "Khánh Hòa", "PHÒNG THAM MƯU", "Báo cáo",
            "Tình hình an nỉnh, trật tự trên địa bàn tỉnh tháng 10 năm 2026", 0, true),
        // OCR: the worn copy read "MƯU" as "MUU", a speck as "Tê", and the "MẬT" stamp as "Tìnn ...": not seen.
        ["bao-cao-mat.worn"] = new("56", "BC-PTM", new DateOnly(2026, 11, 2), "Khánh Hòa", "PHÒNG THAM MUU", "Báo cáo",
            "Tình hình an nỉnh, trật tự trên địa bàn tỉnh tháng Tê 10 năm 2026", 0, false),
    };
}
