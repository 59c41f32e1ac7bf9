using System.Text;

namespace MotCua.Signing.Appearance;

/// <summary>Text as drawings set it: composed (NFC), one line, and only characters the font can show.</summary>
internal static class AppearanceText
{
    public static string Clean(string text, FontFace face)
    {
        var composed = text.Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(composed.Length);
        foreach (var c in composed)
        {
            builder.Append(c switch
            {
                _ when char.IsWhiteSpace(c) => ' ',
                _ when char.IsControl(c) || char.IsSurrogate(c) || !face.HasGlyph(c) => '?',
                _ => c,
            });
        }
        return builder.ToString().Trim();
    }
}
