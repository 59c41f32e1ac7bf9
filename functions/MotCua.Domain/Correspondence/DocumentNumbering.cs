using System.Globalization;

namespace MotCua.Domain.Correspondence;

/// <summary>
/// How an outgoing document is numbered (Decree 30/2020, art. 15 and Appendix I): numbers run per
/// issuing agency per year from 01; each legal normative type has its own series, secret documents
/// theirs, every other document shares one. The notation is <c>TYPE-AGENCY</c> ("QĐ-UBND"), for an
/// official letter <c>AGENCY-DRAFTING UNIT</c> ("VPCP-TTĐT"), and for a legal normative document it
/// carries the year ("2026/QĐ-UBND").
/// </summary>
public static class DocumentNumbering
{
    public const string GeneralSeries = "general";
    public const string SecretSeries = "secret";

    public static string Series(LetterType type, bool legalNormative, bool secret) =>
        secret ? SecretSeries : legalNormative && type.Abbreviation is { } abbreviation ? "qppl-" + abbreviation : GeneralSeries;

    /// <summary>Numbers below 10 have a leading zero.</summary>
    public static string Number(int number) => number.ToString(number < 10 ? "D2" : "D", CultureInfo.InvariantCulture);

    public static string Notation(LetterType type, bool legalNormative, int year, string agencyAbbreviation, string draftingUnitAbbreviation) =>
        type.Abbreviation is not { } abbreviation
            ? $"{agencyAbbreviation}-{draftingUnitAbbreviation}"
            : legalNormative
                ? string.Create(CultureInfo.InvariantCulture, $"{year}/{abbreviation}-{agencyAbbreviation}")
                : $"{abbreviation}-{agencyAbbreviation}";

    /// <summary>The symbol as printed and registered: "123/QĐ-UBND".</summary>
    public static string Symbol(int number, string notation) => $"{Number(number)}/{notation}";

    /// <summary>
    /// A unit's abbreviation when none is configured: the first letters of its words, without
    /// "Phòng"/"Ban", keeping Đ ("Phòng Văn hóa - Xã hội" → "VHXH").
    /// </summary>
    public static string Abbreviate(string unitName)
    {
        var words = unitName.Split([' ', '-', ',', '–'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !w.Equals("Phòng", StringComparison.OrdinalIgnoreCase) && !w.Equals("Ban", StringComparison.OrdinalIgnoreCase)
                && !w.Equals("và", StringComparison.OrdinalIgnoreCase));
        return string.Concat(words.Select(w => Unaccented(char.ToUpperInvariant(w[0])))).PadRight(1, 'X');
    }

    private static char Unaccented(char c) => c == 'Đ' ? c : c.ToString().Normalize(System.Text.NormalizationForm.FormD)[0];
}
