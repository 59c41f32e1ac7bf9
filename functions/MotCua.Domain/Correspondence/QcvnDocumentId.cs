using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MotCua.Domain.Units;

namespace MotCua.Domain.Correspondence;

/// <summary>
/// A document's identifier in QCVN 102: <c>{OrganId},{yyyy/MM/dd},{number}/{notation}</c>, as in
/// <c>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT</c>: the issuing agency, the date and its number and notation.
/// </summary>
public readonly record struct QcvnDocumentId(string OrganId, DateOnly PromulgationDate, string Number, string Notation)
{
    public const int MaxLength = 200;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{OrganId},{PromulgationDate:yyyy'/'MM'/'dd},{Number}/{Notation}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out QcvnDocumentId? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength) return false;
        var parts = text.Split(',', 3);
        if (parts.Length != 3 || !AgencyCodes.IsValid(parts[0])) return false;
        if (!DateOnly.TryParseExact(parts[1], "yyyy'/'MM'/'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return false;
        var slash = parts[2].IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == parts[2].Length - 1) return false;
        var number = parts[2][..slash];
        if (!number.All(char.IsAsciiDigit)) return false;
        id = new QcvnDocumentId(parts[0], date, number, parts[2][(slash + 1)..]);
        return true;
    }
}
