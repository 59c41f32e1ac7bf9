using System.Security.Cryptography;
using System.Text;

namespace MotCua.FunctionApp.Lookup;

/// <summary>
/// The lookup PIN printed on the receipt: 10 digits on new receipts (digits, because citizens type
/// them on a phone's number pad). Receipts issued before keep their 6-digit PIN, which still works.
/// </summary>
public static class LookupPins
{
    public const int Length = 10;
    private const int OldLength = 6;

    public static string New() => string.Create(Length, 0, static (digits, _) =>
    {
        for (var i = 0; i < digits.Length; i++) digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
    });

    /// <summary>Whether <paramref name="pin"/> could be a PIN at all: anything else is not looked up and counts against nothing.</summary>
    public static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? pin) => pin is { Length: Length or OldLength } && pin.All(char.IsAsciiDigit);

    /// <summary>A 6-digit PIN, which only a receipt issued before can match.</summary>
    public static bool IsOld(string pin) => pin.Length == OldLength;

    public static bool Matches(string stored, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(given));
}
