namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>Incoming letters a ward's records clerk receives on paper, one of each common shape.</summary>
public static class SampleLetters
{
    /// <summary>An urgent official letter (công văn) of the province: the issuer's name on two lines, a two-line "V/v".</summary>
    public static readonly OfficialLetter ProvinceLetter = new()
    {
        Name = "cong-van-ubnd-tinh",
        Agency = ["ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HÒA"],
        Number = "123/UBND-VP",
        PlaceAndDate = "Khánh Hòa, ngày 15 tháng 11 năm 2026",
        Summary = "V/v tăng cường công tác phòng, chống thiên tai mùa mưa bão năm 2026",
        Stamps = ["KHẨN"],
        Recipients = ["Kính gửi:", "- Các sở, ban, ngành thuộc tỉnh;", "- Ủy ban nhân dân các xã, phường, đặc khu."],
        Body =
        [
            "Thực hiện Công điện số 98/CĐ-TTg ngày 10 tháng 11 năm 2026 của Thủ tướng Chính phủ về việc chủ động ứng phó với bão, mưa lũ, Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị, địa phương khẩn trương triển khai các nội dung sau:",
            "1. Tổ chức theo dõi chặt chẽ diễn biến thời tiết, kịp thời thông tin cho người dân biết để chủ động phòng tránh.",
            "2. Rà soát phương án sơ tán dân ở vùng trũng thấp, ven sông, ven biển; bố trí lực lượng, phương tiện sẵn sàng cứu hộ, cứu nạn.",
        ],
        Signer = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
    };

    /// <summary>A legal normative decision: the year inside the notation, a summary without "Về việc".</summary>
    public static readonly OfficialLetter ProvinceDecision = new()
    {
        Name = "quyet-dinh-qppl",
        Agency = ["ỦY BAN NHÂN DÂN", "TỈNH KHÁNH HÒA"],
        Number = "45/2026/QĐ-UBND",
        PlaceAndDate = "Khánh Hòa, ngày 03 tháng 12 năm 2026",
        Heading = "QUYẾT ĐỊNH",
        Summary = "Ban hành Quy định về quản lý, sử dụng nhà văn hóa thôn, tổ dân phố trên địa bàn tỉnh Khánh Hòa",
        Authority = ["ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"],
        Body =
        [
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
            "Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 02 năm 2025;",
            "Theo đề nghị của Giám đốc Sở Văn hóa, Thể thao và Du lịch tại Tờ trình số 210/TTr-SVHTTDL ngày 20 tháng 11 năm 2026.",
        ],
    };

    /// <summary>A department's decision under its parent agency, with a "Về việc" summary on two lines.</summary>
    public static readonly OfficialLetter DepartmentDecision = new()
    {
        Name = "quyet-dinh-so-tu-phap",
        ParentAgency = "UBND TỈNH KHÁNH HÒA",
        Agency = ["SỞ TƯ PHÁP"],
        Number = "312/QĐ-STP",
        PlaceAndDate = "Khánh Hòa, ngày 20 tháng 10 năm 2026",
        Heading = "QUYẾT ĐỊNH",
        Summary = "Về việc công bố danh mục thủ tục hành chính được chuẩn hóa trong lĩnh vực hộ tịch",
        Authority = ["GIÁM ĐỐC SỞ TƯ PHÁP TỈNH KHÁNH HÒA"],
        Body =
        [
            "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ về kiểm soát thủ tục hành chính;",
            "Xét đề nghị của Chánh Văn phòng Sở.",
        ],
    };

    /// <summary>The Government Office's letter, marked for immediate delivery: a notation without a type.</summary>
    public static readonly OfficialLetter GovernmentOfficeLetter = new()
    {
        Name = "cong-van-vpcp-hoa-toc",
        Agency = ["VĂN PHÒNG CHÍNH PHỦ"],
        Number = "7816/VPCP-TTĐT",
        PlaceAndDate = "Hà Nội, ngày 30 tháng 9 năm 2026",
        Summary = "V/v cung cấp thông tin cho Cổng Thông tin điện tử Chính phủ",
        Stamps = ["HỎA TỐC"],
        Recipients = ["Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương."],
        Body =
        [
            "Để kịp thời đăng tải thông tin chỉ đạo, điều hành của Chính phủ, Thủ tướng Chính phủ, Văn phòng Chính phủ đề nghị các địa phương cung cấp thông tin theo mẫu gửi kèm trước ngày 05 tháng 10 năm 2026.",
        ],
        Signer = ["KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"],
    };

    /// <summary>A department's notice of conclusions.</summary>
    public static readonly OfficialLetter DepartmentNotice = new()
    {
        Name = "thong-bao-so-noi-vu",
        ParentAgency = "UBND TỈNH KHÁNH HÒA",
        Agency = ["SỞ NỘI VỤ"],
        Number = "208/TB-SNV",
        PlaceAndDate = "Khánh Hòa, ngày 28 tháng 10 năm 2026",
        Heading = "THÔNG BÁO",
        Summary = "Kết luận của Giám đốc Sở tại cuộc họp giao ban tháng 10 năm 2026",
        Body =
        [
            "Ngày 27 tháng 10 năm 2026, Giám đốc Sở Nội vụ chủ trì cuộc họp giao ban tháng 10 năm 2026. Tham dự có các Phó Giám đốc Sở, Chánh Văn phòng, Chánh Thanh tra và Trưởng các phòng chuyên môn thuộc Sở.",
            "Sau khi nghe báo cáo kết quả công tác tháng 10, ý kiến của các đại biểu, Giám đốc Sở kết luận như sau:",
        ],
    };

    /// <summary>A ward's invitation: a leading zero in the day and month.</summary>
    public static readonly OfficialLetter WardInvitation = new()
    {
        Name = "giay-moi-ubnd-phuong",
        Agency = ["ỦY BAN NHÂN DÂN", "PHƯỜNG NHA TRANG"],
        Number = "15/GM-UBND",
        PlaceAndDate = "Nha Trang, ngày 05 tháng 01 năm 2027",
        Heading = "GIẤY MỜI",
        Summary = "Dự hội nghị tổng kết công tác cải cách hành chính năm 2026",
        Body =
        [
            "Ủy ban nhân dân phường Nha Trang trân trọng kính mời đại diện lãnh đạo Văn phòng Ủy ban nhân dân tỉnh dự hội nghị tổng kết công tác cải cách hành chính năm 2026.",
            "Thời gian: 08 giờ 00, ngày 09 tháng 01 năm 2027.",
        ],
    };

    /// <summary>A secret report of the provincial police: the "MẬT" stamp under the number.</summary>
    public static readonly OfficialLetter SecretReport = new()
    {
        Name = "bao-cao-mat",
        ParentAgency = "CÔNG AN TỈNH KHÁNH HÒA",
        Agency = ["PHÒNG THAM MƯU"],
        Number = "56/BC-PTM",
        PlaceAndDate = "Khánh Hòa, ngày 02 tháng 11 năm 2026",
        Heading = "BÁO CÁO",
        Summary = "Tình hình an ninh, trật tự trên địa bàn tỉnh tháng 10 năm 2026",
        Stamps = ["MẬT"],
        Body = ["Thực hiện chương trình công tác năm 2026, Phòng Tham mưu báo cáo tình hình an ninh, trật tự tháng 10 năm 2026 như sau:"],
    };

    public static readonly IReadOnlyList<OfficialLetter> All =
        [ProvinceLetter, ProvinceDecision, DepartmentDecision, GovernmentOfficeLetter, DepartmentNotice, WardInvitation, SecretReport];
}
