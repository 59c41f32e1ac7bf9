using System.Globalization;

namespace MotCua.Domain.Documents;

/// <summary>PDF date strings (ISO 32000-1 §7.9.4): <c>D:YYYYMMDDHHmmSSOHH'mm'</c>, every part after the year optional.</summary>
public static class PdfDate
{
    public static DateTimeOffset? Parse(ReadOnlySpan<char> text)
    {
        if (text.StartsWith("D:")) text = text[2..];
        if (text.Length < 4 || !Digits(text[..4], out var year)) return null;
        int month = 1, day = 1, hour = 0, minute = 0, second = 0;
        var i = 4;
        if (!Part(text, ref i, ref month) || !Part(text, ref i, ref day) || !Part(text, ref i, ref hour)
            || !Part(text, ref i, ref minute) || !Part(text, ref i, ref second)) return null;
        var offset = TimeSpan.Zero;
        if (i < text.Length && text[i] is '+' or '-')
        {
            var sign = text[i] == '-' ? -1 : 1;
            i++;
            int offsetHours = 0, offsetMinutes = 0;
            if (!Part(text, ref i, ref offsetHours)) return null;
            if (i < text.Length && text[i] == '\'') i++;
            if (!Part(text, ref i, ref offsetMinutes)) return null;
            if (offsetHours > 14 || offsetMinutes > 59) return null;
            offset = sign * new TimeSpan(offsetHours, offsetMinutes, 0);
        }
        try
        {
            return new DateTimeOffset(year, month, day, hour, minute, second, offset);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Two more digits if there are any; a missing part keeps its default, a malformed one fails.</summary>
    private static bool Part(ReadOnlySpan<char> text, ref int i, ref int value)
    {
        if (i >= text.Length || !char.IsAsciiDigit(text[i])) return true;
        if (i + 2 > text.Length || !Digits(text.Slice(i, 2), out value)) return false;
        i += 2;
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
