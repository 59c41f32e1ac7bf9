namespace MotCua.Domain.Units;

/// <summary>Agency codes such as <c>000.00.12.H56</c>: at most 13 characters of letters, digits and dots.</summary>
public static class AgencyCodes
{
    public const int MaxLength = 13;

    public static bool IsValid(string? code) =>
        !string.IsNullOrEmpty(code)
        && code.Length <= MaxLength
        && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '.')
        && code[0] != '.' && code[^1] != '.';
}
