using System.Globalization;
using System.Security.Cryptography;
using MotCua.Domain.Units;

namespace MotCua.Domain.Correspondence;

/// <summary>
/// The shape MotCua's correspondence identifiers share: <c>{prefix}{agency}-{yyMMdd}-{6 letters or
/// digits}</c>. The agency in it locates the document's partition, so every read is a point read.
/// </summary>
public static class CorrespondenceIds
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Random() => string.Concat(Enumerable.Range(0, 6).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]));

    public static string Format(string prefix, string agency, DateOnly day, string random) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{agency}-{day:yyMMdd}-{random}");

    public static bool TryParse(string? text, string prefix, out string agency, out DateOnly day, out string random)
    {
        (agency, day, random) = (string.Empty, default, string.Empty);
        if (string.IsNullOrEmpty(text) || text.Length > prefix.Length + AgencyCodes.MaxLength + 14 || !text.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var last = text.LastIndexOf('-');
        var middle = last > 0 ? text.LastIndexOf('-', last - 1) : -1;
        if (middle <= prefix.Length) return false;
        agency = text[prefix.Length..middle];
        random = text[(last + 1)..];
        return AgencyCodes.IsValid(agency) && random.Length == 6 && random.All(Alphabet.Contains)
            && DateOnly.TryParseExact(text.AsSpan(middle + 1, last - middle - 1), "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }
}
