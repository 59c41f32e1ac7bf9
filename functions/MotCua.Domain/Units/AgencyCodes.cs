namespace MotCua.Domain.Units;

/// <summary>
/// Agency identifiers of QCVN 102: the 13-character form <c>000.00.12.H56</c> and, since the 2022
/// amendment, up to 35 characters of letters, digits and dots.
/// </summary>
public static class AgencyCodes
{
    public const int MaxLength = 35;

    public static bool IsValid(string? code) =>
        !string.IsNullOrEmpty(code)
        && code.Length <= MaxLength
        && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '.')
        && code[0] != '.' && code[^1] != '.';

    /// <summary>
    /// The level-4 identifier of a department (phòng, ban) inside a 13-character agency: its number
    /// in the first group, as <c>001.20.30.H56</c> is a unit of <c>000.20.30.H56</c>.
    /// </summary>
    public static string Department(string agency, int number) =>
        agency.Length == 13 && agency.StartsWith("000.", StringComparison.Ordinal) && number is > 0 and < 1000
            ? number.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + agency[3..]
            : throw new ArgumentException("A department number goes in the first group of a 13-character agency identifier.", nameof(agency));
}
