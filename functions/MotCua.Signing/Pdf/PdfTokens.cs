using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace MotCua.Signing.Pdf;

/// <summary>Shorthands for reading and making PdfPig tokens.</summary>
internal static class PdfTokens
{
    /// <summary>The entry's own token when it has the expected type, else null.</summary>
    public static T? Get<T>(this DictionaryToken dictionary, NameToken key) where T : class, IToken =>
        dictionary.Data.GetValueOrDefault(key.Data) as T;

    public static IndirectReferenceToken Ref(IndirectReference reference) => new(reference);

    public static NumericToken Number(double value) => new(value);

    public static ArrayToken Array(params IToken[] items) => new(items);

    public static ArrayToken Rectangle(PdfRectangle r) => Array(Number(r.Left), Number(r.Bottom), Number(r.Right), Number(r.Top));

    /// <summary>A text string any reader decodes: UTF-16BE with its byte-order mark (ISO 32000-1 §7.9.2.2).</summary>
    public static HexToken Text(string text) => new(TextHex(text).ToCharArray());

    public static string TextHex(string text) => Convert.ToHexString([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)]);
}
