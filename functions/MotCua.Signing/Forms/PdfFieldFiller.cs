using System.Globalization;
using System.Text.RegularExpressions;
using MotCua.Signing.Appearance;
using MotCua.Signing.Pdf;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;
using static MotCua.Signing.Pdf.PdfTokens;

namespace MotCua.Signing.Forms;

/// <summary>
/// Fills empty text fields of a signed PDF in one incremental update: each field gets its value,
/// a normal appearance showing it, and the read-only flag, and nothing else changes, so the
/// signatures before stay valid where their certification permits form filling (DocMDP P ≥ 2). The
/// source is copied through a bounded buffer; only the update is held in memory.
/// </summary>
public static partial class PdfFieldFiller
{
    private const int BufferBytes = 128 * 1024;
    private const int ReadOnly = 1;
    private static readonly Lazy<AppearanceFonts> DefaultFonts = new(() => AppearanceFonts.Load());

    /// <summary>Fills the named fields of <paramref name="source"/> (seekable) with DejaVu Sans and writes the result to <paramref name="destination"/>.</summary>
    public static Task FillAsync(Stream source, IReadOnlyDictionary<string, string> values, Stream destination, CancellationToken cancellationToken) =>
        FillAsync(source, values, destination, DefaultFonts.Value, cancellationToken);

    /// <summary>Fills the named fields with the appearance set in <paramref name="fonts"/>' regular face.</summary>
    /// <exception cref="PdfSigningException">
    /// <c>unknown-field</c>, <c>not-a-text-field</c>, <c>field-already-filled</c>, <c>certified-no-changes</c>
    /// (the certification forbids any change), <c>nothing-to-fill</c>, or an unreadable source.
    /// </exception>
    public static Task FillAsync(Stream source, IReadOnlyDictionary<string, string> values, Stream destination, AppearanceFonts fonts,
        CancellationToken cancellationToken) =>
        FillAsync(source, values, destination, fonts, honourCertification: true, cancellationToken);

    /// <param name="honourCertification">False only to produce, in tests, the change a P=1 certification forbids.</param>
    internal static async Task FillAsync(Stream source, IReadOnlyDictionary<string, string> values, Stream destination, AppearanceFonts fonts,
        bool honourCertification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(fonts);
        if (values.Count == 0) throw new PdfSigningException("nothing-to-fill", "No field value was given.");
        byte[] update;
        long length;
        using (var revision = PdfRevision.Open(source))
        {
            if (honourCertification && DocMdp.Permission(revision) == 1)
                throw new PdfSigningException("certified-no-changes", "The document's certification permits no change, not even filling its fields.");
            update = Build(revision, values, fonts);
            length = revision.Length;
        }

        source.Position = 0;
        var buffer = new byte[BufferBytes];
        long copied = 0;
        while (copied < length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - copied)), cancellationToken);
            if (read == 0) throw new PdfSigningException("unreadable-pdf", "The PDF ended before its length.");
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            copied += read;
        }
        await destination.WriteAsync(update, cancellationToken);
    }

    private static byte[] Build(PdfRevision revision, IReadOnlyDictionary<string, string> values, AppearanceFonts fonts)
    {
        var fields = FormFields.Read(revision).ToDictionary(f => f.Name, StringComparer.Ordinal);
        var update = new IncrementalUpdate(revision);
        foreach (var (name, value) in values)
        {
            if (!fields.TryGetValue(name, out var field))
                throw new PdfSigningException("unknown-field", $"The document has no field named '{name}'.");
            if (field.Type != "Tx")
                throw new PdfSigningException("not-a-text-field", $"The field '{name}' is not a text field.");
            if (field.HasValue || (field.Flags & ReadOnly) != 0)
                throw new PdfSigningException("field-already-filled", $"The field '{name}' already holds a value or is read-only; a value is written once.");

            var fontSize = FontSize(field.DefaultAppearance);
            var updated = field.Dictionary.With(NameToken.V, Text(value)).With(NameToken.Create("Ff"), Number(field.Flags | ReadOnly));
            foreach (var (widgetReference, widget) in field.Widgets)
            {
                var box = Box(widget);
                var opaque = revision.Resolve(widget.Data.GetValueOrDefault("MK")) is DictionaryToken mk && mk.Data.ContainsKey("BG");
                var drawing = new TextFieldAppearance(value, fonts.Regular, fontSize ?? box.Height * 0.7, (FieldAlignment)Math.Clamp(field.Alignment, 0, 2), opaque);
                var form = drawing.Write(update, Math.Max(1, box.Width), Math.Max(1, box.Height));
                var appearance = new DictionaryToken(new Dictionary<NameToken, IToken> { [NameToken.Create("N")] = Ref(form) });
                if (widgetReference.Equals(field.Reference)) updated = updated.With(NameToken.Create("AP"), appearance);
                else update.Set(widgetReference, widget.With(NameToken.Create("AP"), appearance));
            }
            update.Set(field.Reference, updated);
        }
        return update.Write().Bytes;
    }

    private static PdfRectangle Box(DictionaryToken widget)
    {
        if (widget.Data.GetValueOrDefault("Rect") is ArrayToken { Length: 4 } rect && rect.Data.OfType<NumericToken>().Select(n => n.Double).ToArray() is { Length: 4 } v)
            return new PdfRectangle(Math.Min(v[0], v[2]), Math.Min(v[1], v[3]), Math.Max(v[0], v[2]), Math.Max(v[1], v[3]));
        throw new PdfSigningException("unreadable-pdf", "A field's widget has no rectangle.");
    }

    /// <summary>The size of the field's default appearance (<c>/Helv 13 Tf 0 g</c>); null for 0, which means "fit the field".</summary>
    private static double? FontSize(string? defaultAppearance)
    {
        if (defaultAppearance is null || FontOperator().Match(defaultAppearance) is not { Success: true } match) return null;
        var size = double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return size > 0 ? size : null;
    }

    [GeneratedRegex(@"([0-9]*\.?[0-9]+)\s+Tf")]
    private static partial Regex FontOperator();
}
