using MotCua.Domain.Correspondence;
using Xunit;

namespace MotCua.Domain.Tests.Correspondence;

/// <summary>
/// Suggestions from first pages: the committed readings of the sample letters (the PDF's text
/// layer, a clean scan and a worn scan, each read by poppler or tesseract and written by
/// LetterSuggestionTests in the app's tests with MOTCUA_UPDATE_LETTERS=1), and typed pages for the
/// cases those do not show.
/// </summary>
public sealed class LetterSuggestionsTests
{
    private static readonly string Letters = Path.Combine(AppContext.BaseDirectory, "Correspondence", "Letters");

    public static TheoryData<string> Readings() => [.. SampleLetterSuggestions.Expected.Keys];

    [Theory]
    [MemberData(nameof(Readings))]
    public void FromFirstPage_SampleLetterReading_SuggestsItsFields(string reading)
    {
        var text = File.ReadAllText(Path.Combine(Letters, reading + ".txt"));
        Assert.Equal(SampleLetterSuggestions.Expected[reading], LetterSuggestions.FromFirstPage(text));
    }

    [Fact]
    public void SampleLetterReadings_EachCommittedText_HasItsExpectation() =>
        Assert.Equal(
            SampleLetterSuggestions.Expected.Keys.Order(),
            Directory.GetFiles(Letters, "*.txt").Select(Path.GetFileNameWithoutExtension).Order());

    [Fact]
    public void FromFirstPage_LayoutTextWithColumnsApart_ReadsEachColumn()
    {
        // pdftotext -layout keeps both columns on one line, spaces between them.
        const string page = """
            BỘ NÔNG NGHIỆP VÀ                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
               MÔI TRƯỜNG                               Độc lập - Tự do - Hạnh phúc
            CỤC QUẢN LÝ ĐẤT ĐAI

            Số: 1502/CQLĐĐ-ĐKTK            Thành phố Hồ Chí Minh, ngày 09 tháng 3 năm 2026
            V/v hướng dẫn cập nhật cơ sở dữ liệu
            đất đai sau sắp xếp đơn vị hành chính

               THƯỢNG KHẨN

                      Kính gửi: Sở Nông nghiệp và Môi trường các tỉnh, thành phố.
            """;

        Assert.Equal(
            new LetterSuggestion("1502", "CQLĐĐ-ĐKTK", new DateOnly(2026, 3, 9), "Thành phố Hồ Chí Minh", "CỤC QUẢN LÝ ĐẤT ĐAI", "Công văn",
                "V/v hướng dẫn cập nhật cơ sở dữ liệu đất đai sau sắp xếp đơn vị hành chính", 2, false),
            LetterSuggestions.FromFirstPage(page));
    }

    [Fact]
    public void FromFirstPage_SubmissionWithTwoStamps_ReadsTheHighestUrgencyAndTheSecrecy()
    {
        const string page = """
            ỦY BAN NHÂN DÂN
            PHƯỜNG NHA TRANG
            Số: 07/TTr-UBND
            TỐI MẬT
            HỎA TỐC
            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
            Độc lập - Tự do - Hạnh phúc
            Nha Trang, ngày 31 tháng 12 năm 2026
            TỜ TRÌNH
            Về việc đề nghị bổ sung kinh phí bảo đảm an ninh, trật tự
            Kính gửi: Ủy ban nhân dân tỉnh Khánh Hòa.
            """;

        Assert.Equal(
            new LetterSuggestion("07", "TTr-UBND", new DateOnly(2026, 12, 31), "Nha Trang", "ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG", "Tờ trình",
                "Về việc đề nghị bổ sung kinh phí bảo đảm an ninh, trật tự", 3, true),
            LetterSuggestions.FromFirstPage(page));
    }

    [Fact]
    public void FromFirstPage_OcrWithWrongDiacriticsAndMarks_StillReadsTheHeader()
    {
        // OCR that reads "Số" as "Sô", "Đ" as the Icelandic "Ð", a hyphen as a dash, "V/v" as "Vív".
        const string page = """
            ỦY BAN NHÂN DÂN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
            TỈNH KHÁNH HOÀ. Ðộc lập - Tự do - Hạnh phúc
            Sô: 2045/UBND–KT „ Khánh Hoà, ngảy 7 thảng 8 nẵm 2026
            Vív đôn đốc thực hiện chỉ tiêu
            giảm nghèo năm 2026 _
            Kính gửi: Ủy ban nhân dân các xã, phường.
            Để thực hiện khẩn trương các chỉ tiêu giảm nghèo ...
            """;

        Assert.Equal(
            new LetterSuggestion("2045", "UBND-KT", new DateOnly(2026, 8, 7), "Khánh Hoà", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HOÀ", "Công văn",
                "V/v đôn đốc thực hiện chỉ tiêu giảm nghèo năm 2026", 0, false),
            LetterSuggestions.FromFirstPage(page));
    }

    [Fact]
    public void FromFirstPage_HeadingUnreadableAndDateImpossible_TypeFromNotationAndNoDate()
    {
        const string page = """
            UBND TỈNH KHÁNH HÒA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
            SỞ Y TẾ Độc lập - Tự do - Hạnh phúc
            Số: 88/KH-SYT Khánh Hòa, ngày 31 tháng 02 năm 2026
            KỂ HGACH
            Triển khai tiêm chủng mở rộng năm 2026
            """;

        Assert.Equal(
            new LetterSuggestion("88", "KH-SYT", null, "Khánh Hòa", "SỞ Y TẾ", "Kế hoạch", null, 0, false),
            LetterSuggestions.FromFirstPage(page));
    }

    [Fact]
    public void FromFirstPage_HeadingWithALetterMisread_ReadsTheTypeAndTheSummaryUnderIt()
    {
        const string page = """
            ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
            PHƯỜNG NHA TRANG Độc lập - Tự do - Hạnh phúc
            Số: 120/QĐ-UBND Nha Trang, ngày 02 tháng 6 năm 2026
            - QUYẾT ĐlNH .

            Về việc thành lập Tổ công tác rà soát hồ sơ
            đăng ký hộ kinh doanh

            CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG
            """;

        Assert.Equal(
            new LetterSuggestion("120", "QĐ-UBND", new DateOnly(2026, 6, 2), "Nha Trang", "ỦY BAN NHÂN DÂN PHƯỜNG NHA TRANG", "Quyết định",
                "Về việc thành lập Tổ công tác rà soát hồ sơ đăng ký hộ kinh doanh", 0, false),
            LetterSuggestions.FromFirstPage(page));
    }

    [Theory]
    [InlineData("KHẨN", 1, false)]
    [InlineData("[THƯỢNG KHẨN]", 2, false)]
    [InlineData("| HỎA TỐC |", 3, false)]
    [InlineData("HỎA TỐC HẸN GIỜ", 4, false)]
    [InlineData("TUYỆT MẬT", 0, true)]
    [InlineData("MẬT KHẨN", 1, true)]
    [InlineData("KHẨN TRƯƠNG TRIỂN KHAI", 0, false)]
    [InlineData("— KHẨN.", 1, false)]
    public void FromFirstPage_StampUnderTheNumber_ReadsUrgencyAndSecrecy(string stamp, int priority, bool secret)
    {
        var page = $"""
            SỞ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
            Số: 5/SYT-VP Khánh Hòa, ngày 1 tháng 4 năm 2026
            V/v phòng chống dịch
            {stamp}
            Kính gửi: Ủy ban nhân dân phường Nha Trang.
            """;

        var suggestion = LetterSuggestions.FromFirstPage(page);

        Assert.Equal((priority, secret), (suggestion.Priority, suggestion.SecretMarked));
        Assert.Equal("V/v phòng chống dịch", suggestion.Summary);
    }

    [Fact]
    public void FromFirstPage_SubjectMarkAloneOnItsLine_TakesTheSummaryUnderIt()
    {
        const string page = """
            UBND PHƯỜNG NHA TRANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
            PHÒNG KINH TẾ, HẠ TẦNG Độc lập - Tự do - Hạnh phúc
            VÀ ĐÔ THỊ
            Số: 31/KTHTĐT Nha Trang, ngày 12 tháng 5 năm 2026
            V/v:
            kiểm tra an toàn công trình
            Kính gửi: Ban quản lý chợ Xóm Mới.
            """;

        var suggestion = LetterSuggestions.FromFirstPage(page);

        Assert.Equal(("PHÒNG KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ", "Công văn", "V/v kiểm tra an toàn công trình"),
            (suggestion.IssuingAgency, suggestion.DocumentType, suggestion.Summary));
        Assert.Equal(("31", "KTHTĐT"), (suggestion.Number, suggestion.Notation));
    }

    [Fact]
    public void FromFirstPage_BodyTextOnly_SuggestsNothing()
    {
        // A reference to another document and "khẩn trương" in a sentence are neither the number nor a stamp.
        const string page = """
            Thực hiện Công điện số 98/CĐ-TTg ngày 10 tháng 11 năm 2026 của Thủ tướng Chính phủ,
            đề nghị các đơn vị khẩn trương triển khai.
            """;

        Assert.Equal(new LetterSuggestion(null, null, null, null, null, null, null, null, false), LetterSuggestions.FromFirstPage(page));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Biên lai thu tiền điện tháng 10")]
    [InlineData("\uFFFE\uD800 KHẨN TRƯƠNG")]
    public void FromFirstPage_NotAnOfficialLetter_SuggestsNothing(string page) =>
        Assert.Equal(new LetterSuggestion(null, null, null, null, null, null, null, null, false), LetterSuggestions.FromFirstPage(page));

    [Theory]
    [InlineData("QĐ", "Quyết định")]
    [InlineData("qđ", "Quyết định")]
    [InlineData("ĐA", "Đề án")]
    [InlineData("DA", "Dự án")]
    [InlineData("TTr", "Tờ trình")]
    [InlineData("BTT", "Bản thỏa thuận")]
    public void ByAbbreviation_TypeCode_NamesTheType(string code, string name) =>
        Assert.Equal(name, LetterTypes.ByAbbreviation(code)?.Name);

    [Fact]
    public void LetterTypes_Abbreviations_AreUnique()
    {
        var codes = LetterTypes.All.SelectMany(t => t.OtherAbbreviations.Append(t.Abbreviation)).OfType<string>().Select(c => c.ToUpperInvariant()).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Null(LetterTypes.ByAbbreviation("UBND"));
    }
}
