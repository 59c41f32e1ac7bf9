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

    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsWhiteSpace(c))
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
