using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MotCua.Domain.Units;

namespace MotCua.Domain.Dossiers;

/// <summary>
/// <c>&lt;agency code&gt;-&lt;YYMMDD&gt;-&lt;NNNN&gt;</c>: the receiving unit, the day received and the
/// unit's sequence number that day. The code alone locates the dossier, so lookups are point reads.
/// </summary>
public readonly record struct DossierCode(string AgencyCode, DateOnly Received, int Sequence)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{AgencyCode}-{Received:yyMMdd}-{Sequence:D4}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out DossierCode? code)
    {
        code = null;
        if (string.IsNullOrEmpty(text) || text.Length > AgencyCodes.MaxLength + 16) return false;
        var last = text.LastIndexOf('-');
        if (last <= 0) return false;
        var middle = text.LastIndexOf('-', last - 1);
        if (middle <= 0) return false;

        var agency = text[..middle];
        var date = text.AsSpan(middle + 1, last - middle - 1);
        var sequence = text.AsSpan(last + 1);
        if (!AgencyCodes.IsValid(agency)
            || date.Length != 6
            || !DateOnly.TryParseExact(date, "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || sequence.Length < 4
            || !sequence.ContainsOnlyDigits()
            || !int.TryParse(sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number < 1)
        {
            return false;
        }

        code = new DossierCode(agency, day, number);
        return true;
    }
}

internal static class SpanDigits
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }
}
