namespace MotCua.Domain.Correspondence;

/// <summary>
/// A type of document (tên loại văn bản): its name as registers show it, the abbreviation its
/// notation carries ("QĐ" in "45/2026/QĐ-UBND"), other spellings of that abbreviation met in
/// practice, and whether the first page prints the name as a heading (every type but the official
/// letter, công văn, whose notation carries no type and whose summary follows "V/v").
/// </summary>
public sealed record LetterType(string Name, string? Abbreviation, IReadOnlyList<string> OtherAbbreviations, bool HasHeading = true)
{
    /// <summary>The heading as printed: the name in capitals ("QUYẾT ĐỊNH").</summary>
    public string Heading => Name.ToUpperInvariant();

    public bool IsAbbreviatedAs(string code) =>
        string.Equals(Abbreviation, code, StringComparison.OrdinalIgnoreCase)
        || OtherAbbreviations.Any(a => string.Equals(a, code, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The types of administrative documents of Decree 30/2020/NĐ-CP (Article 7, abbreviations of
/// Appendix III), and the legal normative types an agency commonly receives. Kept as data: a
/// regulation may change the list. Where published copies of Appendix III disagree on an
/// abbreviation, both spellings are listed.
/// </summary>
public static class LetterTypes
{
    public static readonly LetterType OfficialLetter = new("Công văn", null, [], HasHeading: false);

    public static readonly IReadOnlyList<LetterType> All =
    [
        new("Nghị quyết", "NQ", []),
        new("Quyết định", "QĐ", []),
        new("Chỉ thị", "CT", []),
        new("Quy chế", "QC", []),
        new("Quy định", "QyĐ", []),
        new("Thông cáo", "TC", []),
        new("Thông báo", "TB", []),
        new("Hướng dẫn", "HD", []),
        new("Chương trình", "CTr", []),
        new("Kế hoạch", "KH", []),
        new("Phương án", "PA", []),
        new("Đề án", "ĐA", []),
        new("Dự án", "DA", []),
        new("Báo cáo", "BC", []),
        new("Biên bản", "BB", []),
        new("Tờ trình", "TTr", []),
        new("Hợp đồng", "HĐ", []),
        OfficialLetter,
        new("Công điện", "CĐ", []),
        new("Bản ghi nhớ", "GN", ["BGN"]),
        new("Bản thỏa thuận", "TTh", ["BTT"]),
        new("Giấy ủy quyền", "GUQ", []),
        new("Giấy mời", "GM", []),
        new("Giấy giới thiệu", "GGT", []),
        new("Giấy nghỉ phép", "NP", ["GNP"]),
        new("Phiếu gửi", "PG", []),
        new("Phiếu chuyển", "PC", []),
        new("Phiếu báo", "PB", []),
        new("Thư công", null, []),
        new("Nghị định", "NĐ", []),
        new("Thông tư", "TT", []),
        new("Thông tư liên tịch", "TTLT", []),
    ];

    /// <summary>The type a notation's type part names ("QĐ" of "QĐ-UBND"), or null.</summary>
    public static LetterType? ByAbbreviation(string code) => All.FirstOrDefault(t => t.IsAbbreviatedAs(code));
}
