using System.Buffers;
using System.Globalization;
using System.Text;
using MotCua.Domain.Dossiers;

namespace MotCua.Domain.Text;

/// <summary>Whether a field may hold line breaks: a comment may, a name or an address may not.</summary>
public enum LineBreaks
{
    Refused,
    Allowed,
}

/// <summary>Why a character is refused.</summary>
public enum UnsafeKind
{
    LineBreak,
    Control,
    Noncharacter,
    LoneSurrogate,
    Invisible,
}

/// <summary>The first refused character of a text: its position (in UTF-16 units), its code point and why.</summary>
public sealed record UnsafeCharacter(int Index, int CodePoint, UnsafeKind Kind)
{
    public string Notation => $"U+{CodePoint:X4}";
}

/// <summary>
/// The characters stored text may not hold, for every field people type: controls (only \n and
/// \r\n in fields that allow line breaks), noncharacters such as U+FFFE, lone surrogates, and
/// invisible format characters — bidirectional overrides, embeddings, isolates and marks, and
/// zero-width characters. Such characters break normalisation and PDF writing, and let a name or
/// a file name display differently from what it is. Vietnamese needs none of them; precomposed
/// letters and combining diacritics pass.
/// </summary>
public static class SafeText
{
    public const char Replacement = '\uFFFD';

    public static UnsafeCharacter? FindUnsafe(string text, LineBreaks lineBreaks)
    {
        for (var i = 0; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            if (status != OperationStatus.Done) return new UnsafeCharacter(i, text[i], UnsafeKind.LoneSurrogate);
            if (rune.Value == '\r' && lineBreaks == LineBreaks.Allowed && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i += 2;
                continue;
            }
            if (KindOf(rune, lineBreaks) is { } kind) return new UnsafeCharacter(i, rune.Value, kind);
            i += consumed;
        }
        return null;
    }

    /// <summary>The field's error in both languages, or null when the text is acceptable (or absent).</summary>
    public static FieldError? Check(string field, string? text, LineBreaks lineBreaks = LineBreaks.Refused)
    {
        if (text is null || FindUnsafe(text, lineBreaks) is not { } found) return null;
        var (vi, en) = found.Kind switch
        {
            UnsafeKind.LineBreak => ("ngắt dòng", "a line break"),
            UnsafeKind.Control => ("ký tự điều khiển", "a control character"),
            UnsafeKind.Noncharacter => ("mã không phải ký tự", "a Unicode noncharacter"),
            UnsafeKind.LoneSurrogate => ("nửa cặp thay thế (surrogate) đứng lẻ", "a lone surrogate"),
            _ => ("ký tự định dạng ẩn (đổi hướng chữ hay độ rộng bằng không)", "an invisible format character (bidirectional or zero-width)"),
        };
        var position = found.Index + 1;
        return new FieldError(field,
            $"Trường '{field}' chứa {vi} ({found.Notation}) ở vị trí {position}, không được phép.",
            $"The field '{field}' holds {en} ({found.Notation}) at position {position}, which is not allowed.");
    }

    /// <summary>
    /// The text with each refused character (line breaks aside) replaced by U+FFFD, for showing text
    /// stored before these rules: printing a form never fails on what an older version accepted.
    /// </summary>
    public static string ForDisplay(string text)
    {
        if (FindUnsafe(text, LineBreaks.Allowed) is null) return text;
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                builder.Append(Replacement);
                i += Math.Max(consumed, 1);
                continue;
            }
            if (rune.Value == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                builder.Append("\r\n");
                i += 2;
                continue;
            }
            if (KindOf(rune, LineBreaks.Allowed) is null) builder.Append(text, i, consumed);
            else builder.Append(Replacement);
            i += consumed;
        }
        return builder.ToString();
    }

    private static UnsafeKind? KindOf(Rune rune, LineBreaks lineBreaks)
    {
        var value = rune.Value;
        if (value == '\n') return lineBreaks == LineBreaks.Allowed ? null : UnsafeKind.LineBreak;
        if (value is >= 0xFDD0 and <= 0xFDEF || (value & 0xFFFE) == 0xFFFE) return UnsafeKind.Noncharacter;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control => value == '\r' ? UnsafeKind.LineBreak : UnsafeKind.Control,
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => UnsafeKind.LineBreak,
            // Bidirectional controls (U+200E–200F, U+202A–202E, U+2066–2069, U+061C), zero-width
            // characters (U+200B–200D, U+2060, U+FEFF), soft hyphen, tags and the other invisibles.
            UnicodeCategory.Format => UnsafeKind.Invisible,
            _ => null,
        };
    }
}
