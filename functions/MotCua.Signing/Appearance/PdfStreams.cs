using System.Globalization;
using System.IO.Compression;
using UglyToad.PdfPig.Tokens;

namespace MotCua.Signing.Appearance;

/// <summary>Small builders for the tokens drawings are made of.</summary>
internal static class PdfStreams
{
    /// <summary>A stream whose data is Flate-compressed, with its /Length and any further entries.</summary>
    public static StreamToken Compressed(byte[] data, Dictionary<NameToken, IToken>? entries = null)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(data);
        var compressed = buffer.ToArray();
        var dictionary = entries ?? [];
        dictionary[NameToken.Filter] = NameToken.FlateDecode;
        dictionary[NameToken.Length] = new NumericToken(compressed.Length);
        return new StreamToken(new DictionaryToken(dictionary), compressed);
    }

    public static ArrayToken Numbers(params double[] values) => new([.. values.Select(v => (IToken)new NumericToken(Math.Round(v, 4)))]);

    /// <summary>A number as content streams write it: invariant, no exponent, at most three decimals.</summary>
    public static string Format(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);
}
