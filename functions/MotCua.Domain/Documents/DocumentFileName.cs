using MotCua.Domain.Text;

namespace MotCua.Domain.Documents;

/// <summary>
/// A file name as the user gave it, kept for display only: storage addresses documents by id.
/// Names that carry paths or characters <see cref="SafeText"/> refuses are refused rather than cleaned, so nobody is
/// surprised by a silently changed name.
/// </summary>
public static class DocumentFileName
{
    public const int MaxLength = 255;

    public static bool TryValidate(string? raw, out string name)
    {
        name = string.Empty;
        if (string.IsNullOrWhiteSpace(raw) || SafeText.FindUnsafe(raw, LineBreaks.Refused) is not null) return false;
        var normalized = VietnameseText.Normalize(raw);
        if (normalized.Length is 0 or > MaxLength) return false;
        if (normalized is "." or "..") return false;
        foreach (var c in normalized)
        {
            if (c is '/' or '\\' or ':')
            {
                return false;
            }
        }
        name = normalized;
        return true;
    }
}
