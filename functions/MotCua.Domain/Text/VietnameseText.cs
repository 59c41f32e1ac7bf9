using System.Globalization;
using System.Text;

namespace MotCua.Domain.Text;

/// <summary>
/// Vietnamese text is stored in NFC, and searched through a folded copy: no diacritics, đ → d,
/// lower case, single spaces. "Phường Điện Biên" folds to "phuong dien bien".
/// </summary>
public static class VietnameseText
{
    public static string Normalize(string text) => text.Normalize(NormalizationForm.FormC).Trim();

    /// <summary>Characters <see cref="SafeText"/> refuses, which older rows may hold, fold as spaces.</summary>
    public static string Fold(string text)
    {
        var decomposed = SafeText.ForDisplay(text).Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsWhiteSpace(c) || c == SafeText.Replacement)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(c switch
            {
                'đ' or 'Đ' => 'd',
                _ => char.ToLowerInvariant(c),
            });
        }
        return builder.ToString();
    }
}
