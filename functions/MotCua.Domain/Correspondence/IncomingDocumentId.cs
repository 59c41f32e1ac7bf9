using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using MotCua.Domain.Units;

namespace MotCua.Domain.Correspondence;

/// <summary>
/// MotCua's own identifier of an incoming document: <c>IN-{agency}-{yyMMdd}-{6 letters or digits}</c>,
/// the receiving agency, the day it arrived and a random part. The agency in it locates the
/// document's partition, so every read is a point read; it is never confused with a dossier code.
/// </summary>
public readonly record struct IncomingDocumentId(string Agency, DateOnly Arrived, string Random)
{
    private const string Prefix = "IN-";
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Agency}-{Arrived:yyMMdd}-{Random}");

    public static IncomingDocumentId New(string agency, DateOnly arrived) =>
        new(agency, arrived, string.Concat(Enumerable.Range(0, 6).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)])));

    public static bool TryParse(string? text, [NotNullWhen(true)] out IncomingDocumentId? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text) || text.Length > Prefix.Length + AgencyCodes.MaxLength + 14 || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var last = text.LastIndexOf('-');
        var middle = last > 0 ? text.LastIndexOf('-', last - 1) : -1;
        if (middle <= Prefix.Length) return false;
        var agency = text[Prefix.Length..middle];
        var random = text[(last + 1)..];
        if (!AgencyCodes.IsValid(agency) || random.Length != 6 || !random.All(Alphabet.Contains)
            || !DateOnly.TryParseExact(text.AsSpan(middle + 1, last - middle - 1), "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }
        id = new IncomingDocumentId(agency, day, random);
        return true;
    }
}
