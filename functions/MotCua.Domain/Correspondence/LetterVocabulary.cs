namespace MotCua.Domain.Correspondence;

/// <summary>
/// Words the first page of an official letter is read by, folded (no diacritics, lower case) so
/// OCR that drops or changes a diacritic still matches. Kept as data, like the document types.
/// </summary>
public static class LetterVocabulary
{
    /// <summary>
    /// Words that begin an agency's name. In the agency block a line that begins with one starts a
    /// new name (the issuer under its parent agency); any other line continues the name above
    /// ("ỦY BAN NHÂN DÂN" / "TỈNH KHÁNH HÒA").
    /// </summary>
    public static readonly IReadOnlyList<string> AgencyHeads =
    [
        "uy ban", "ubnd", "hoi dong", "hdnd", "van phong", "so", "phong", "ban", "chi cuc", "tong cuc", "cuc",
        "vu", "bo", "trung tam", "truong", "benh vien", "vien", "thanh tra", "kho bac", "cong an", "bo chi huy",
        "bo tu lenh", "doi", "toa an", "chinh phu", "thu tuong", "quoc hoi", "doan", "bao hiem xa hoi", "ngan hang",
        "dai", "hai quan", "mat tran", "hoi", "lien doan", "cong ty", "tap doan", "dang uy", "tinh uy", "thanh uy",
        "huyen uy", "quan uy", "thi uy", "dang bo", "chi bo", "thue",
    ];

    /// <summary>Openers of the first paragraph after the summary: a line that starts with one (capitalised) is body text.</summary>
    public static readonly IReadOnlyList<string> BodyOpeners =
    [
        "kinh gui", "can cu", "thuc hien", "theo", "xet", "de", "nham", "tren co so", "sau khi", "trong", "hom nay",
        "vao hoi", "thoi gian", "dia diem", "thanh phan", "chu tri", "kinh moi", "toi", "chung toi", "qua", "tiep theo",
        "dieu", "phan", "muc", "chuong", "noi nhan",
    ];

    /// <summary>Urgency stamps (độ khẩn) and the <see cref="DocumentPriority"/> each means.</summary>
    public static readonly IReadOnlyList<(string Stamp, int Priority)> Urgency =
    [
        ("hoa toc hen gio", 4),
        ("hoa toc", 3),
        ("thuong khan", 2),
        ("khan", 1),
    ];

    /// <summary>Secrecy stamps (độ mật).</summary>
    public static readonly IReadOnlyList<string> Secrecy = ["tuyet mat", "toi mat", "mat"];
}
