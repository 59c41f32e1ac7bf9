using System.Globalization;
using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;
using MotCua.Signing.Forms;
using static MotCua.Signing.Pdf.PdfTokens;

namespace MotCua.Signing.Pdf;

/// <summary>
/// Writes the revision that adds one signature: the signature dictionary with room for the CMS,
/// its field and widget on the page, the marks drawn with it, the AcroForm with <c>/SigFlags 3</c>
/// and the document security store. Existing objects are rewritten only where they must change.
/// </summary>
internal sealed class SignatureUpdateBuilder(PdfRevision revision, PdfSignatureRequest request)
{
    private const int ByteRangeSlot = 64;
    private static readonly NameToken Sig = NameToken.Create("Sig");
    private static readonly NameToken Widget = NameToken.Create("Widget");
    private static readonly NameToken Stamp = NameToken.Create("Stamp");
    private static readonly NameToken FieldType = NameToken.Create("FT");
    private static readonly NameToken SigFlags = NameToken.Create("SigFlags");
    private static readonly NameToken AcroForm = NameToken.Create("AcroForm");
    private static readonly NameToken Fields = NameToken.Create("Fields");
    private static readonly NameToken Dss = NameToken.Create("DSS");
    private static readonly NameToken Certs = NameToken.Create("Certs");
    private static readonly NameToken Crls = NameToken.Create("CRLs");
    private static readonly NameToken Ocsps = NameToken.Create("OCSPs");
    private static readonly NameToken Appearance = NameToken.Create("AP");
    private static readonly NameToken Normal = NameToken.Create("N");

    private readonly IncrementalUpdate _update = new(revision);
    private readonly Dictionary<int, List<IndirectReference>> _newAnnotations = [];

    public record Result(byte[] Update, int ContentsOffset, int ContentsLength, int ByteRangeOffset, string FieldName);

    public Result Build()
    {
        var existing = FormFields.Read(revision);
        if (request.Certify is not null) EnsureFirstSignature(existing, DocMdp.Permission(revision) is not null);
        var signature = _update.Reserve();
        var fieldName = request.FieldName ?? FreeFieldName();
        EnsureNewNames(existing, [fieldName, .. request.FillableFields.Select(f => f.Name)]);
        var widget = AddWidget(signature, fieldName);
        var textFields = request.FillableFields.Select(AddTextField).ToList();
        foreach (var stamp in request.Stamps) AddStamp(stamp);
        RewritePages();
        var catalog = revision.Catalog;
        catalog = WithFields(catalog, [widget, .. textFields]);
        if (request.Certify is not null)
        {
            var perms = revision.Resolve(catalog.Data.GetValueOrDefault(DocMdp.Perms.Data)) as DictionaryToken ?? new DictionaryToken(new Dictionary<NameToken, IToken>());
            catalog = catalog.With(DocMdp.Perms, perms.With(DocMdp.DocMdpKey, Ref(signature)));
        }
        if (request.Revocation is { IsEmpty: false } revocation) catalog = WithSecurityStore(catalog, revocation);
        _update.Set(revision.Root, catalog);

        var (contentsHex, body) = SignatureDictionary();
        _update.SetRaw(signature, body);
        var (bytes, offsets) = _update.Write();
        var objectStart = (int)offsets[signature.ObjectNumber];
        var contentsOffset = IndexOf(bytes, "/Contents <"u8, objectStart) + "/Contents ".Length;
        var byteRangeOffset = IndexOf(bytes, "/ByteRange "u8, objectStart) + "/ByteRange ".Length;
        return new Result(bytes, contentsOffset, contentsHex + 2, byteRangeOffset, fieldName);
    }

    /// <summary>Fills the byte range once the update's length is known: everything except the <c>/Contents</c> string.</summary>
    public static void WriteByteRange(byte[] update, long sourceLength, int byteRangeOffset, int contentsOffset, int contentsLength)
    {
        var gapStart = sourceLength + contentsOffset;
        var gapEnd = gapStart + contentsLength;
        var total = sourceLength + update.Length;
        var text = string.Create(CultureInfo.InvariantCulture, $"[0 {gapStart} {gapEnd} {total - gapEnd}]").PadRight(ByteRangeSlot);
        Encoding.ASCII.GetBytes(text).CopyTo(update, byteRangeOffset);
    }

    private (int ContentsHex, byte[] Body) SignatureDictionary()
    {
        var contentsHex = request.ReservedSignatureBytes * 2;
        var text = new StringBuilder("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached");
        text.Append(CultureInfo.InvariantCulture, $" /M ({PdfDate(request.SigningTime)})");
        if (request.SignerName is { } name) text.Append(" /Name <").Append(TextHex(name)).Append('>');
        if (request.Reason is { } reason) text.Append(" /Reason <").Append(TextHex(reason)).Append('>');
        if (request.Location is { } location) text.Append(" /Location <").Append(TextHex(location)).Append('>');
        if (request.Certify is { } certification)
        {
            text.Append(CultureInfo.InvariantCulture,
                $" /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P {(int)certification} /V /1.2 >> >>]");
        }
        text.Append(" /ByteRange ").Append(new string(' ', ByteRangeSlot));
        text.Append(" /Contents <").Append('0', contentsHex).Append("> >>");
        return (contentsHex, Encoding.ASCII.GetBytes(text.ToString()));
    }

    private IndirectReference AddWidget(IndirectReference signature, string fieldName)
    {
        var widget = _update.Reserve();
        var entries = new Dictionary<NameToken, IToken>
        {
            [NameToken.Type] = NameToken.Annot,
            [NameToken.Subtype] = Widget,
            [FieldType] = Sig,
            [NameToken.T] = Text(fieldName),
            [NameToken.V] = Ref(signature),
        };
        if (request.Appearance is { } drawn)
        {
            var page = PageOf(drawn.Placement);
            var form = drawn.Drawing.Write(_update, drawn.Placement.Rectangle.Width, drawn.Placement.Rectangle.Height);
            entries[NameToken.F] = Number(4); // Print
            entries[NameToken.Rect] = Rectangle(drawn.Placement.Rectangle);
            entries[NameToken.P] = Ref(revision.Pages[page]);
            entries[Appearance] = new DictionaryToken(new Dictionary<NameToken, IToken> { [Normal] = Ref(form) });
            Annotate(page, widget);
        }
        else
        {
            entries[NameToken.F] = Number(132); // Print, Locked
            entries[NameToken.Rect] = Array(Number(0), Number(0), Number(0), Number(0));
            entries[NameToken.P] = Ref(revision.Pages[0]);
            Annotate(0, widget);
        }
        _update.Set(widget, new DictionaryToken(entries));
        return widget;
    }

    private void AddStamp(PlacedDrawing stamp)
    {
        var page = PageOf(stamp.Placement);
        var form = stamp.Drawing.Write(_update, stamp.Placement.Rectangle.Width, stamp.Placement.Rectangle.Height);
        var annotation = _update.Add(new DictionaryToken(new Dictionary<NameToken, IToken>
        {
            [NameToken.Type] = NameToken.Annot,
            [NameToken.Subtype] = Stamp,
            [NameToken.F] = Number(4 | 128), // Print, Locked
            [NameToken.Rect] = Rectangle(stamp.Placement.Rectangle),
            [NameToken.P] = Ref(revision.Pages[page]),
            [Appearance] = new DictionaryToken(new Dictionary<NameToken, IToken> { [Normal] = Ref(form) }),
        }));
        Annotate(page, annotation);
    }

    private int PageOf(PdfPlacement placement)
    {
        var page = placement.PageIndex < 0 ? revision.Pages.Count + placement.PageIndex : placement.PageIndex;
        if (page < 0 || page >= revision.Pages.Count)
            throw new PdfSigningException("no-such-page", $"The document has {revision.Pages.Count} pages; page index {placement.PageIndex} does not exist.");
        return page;
    }

    private void Annotate(int page, IndirectReference annotation)
    {
        if (!_newAnnotations.TryGetValue(page, out var list)) _newAnnotations[page] = list = [];
        list.Add(annotation);
    }

    // A page's /Annots is either inline or an indirect array; the indirect one is rewritten in place
    // so other holders of the reference see the same list.
    private void RewritePages()
    {
        foreach (var (page, added) in _newAnnotations)
        {
            var reference = revision.Pages[page];
            var dictionary = revision.Dictionary(reference);
            var refs = added.Select(a => (IToken)Ref(a));
            if (dictionary.Get<IndirectReferenceToken>(NameToken.Annots) is { } indirect && revision.Resolve(indirect) is ArrayToken shared)
            {
                _update.Set(indirect.Data, new ArrayToken([.. shared.Data, .. refs]));
                continue;
            }
            var existing = dictionary.Get<ArrayToken>(NameToken.Annots)?.Data ?? [];
            _update.Set(reference, dictionary.With(NameToken.Annots, new ArrayToken([.. existing, .. refs])));
        }
    }

    // A variable-text field needs its /DA font in the form's /DR (ISO 32000-1 §12.7.3.3): Helvetica,
    // for a reader that rebuilds an appearance; MotCua's own appearances embed the font they use.
    private IndirectReference AddTextField(FillableTextField field)
    {
        if (string.IsNullOrWhiteSpace(field.Name) || field.Name.Contains('.', StringComparison.Ordinal))
            throw new PdfSigningException("invalid-field", $"'{field.Name}' is not a field name: it must be non-empty and hold no dot.");
        if (!(field.FontSize > 0 && field.Rectangle.Width > 0 && field.Rectangle.Height > 0))
            throw new PdfSigningException("invalid-field", $"The field '{field.Name}' needs a positive font size, width and height.");
        var page = PageOf(new PdfPlacement(field.PageIndex, field.Rectangle));
        var entries = new Dictionary<NameToken, IToken>
        {
            [NameToken.Type] = NameToken.Annot,
            [NameToken.Subtype] = Widget,
            [FieldType] = NameToken.Create("Tx"),
            [NameToken.T] = Text(field.Name),
            [NameToken.F] = Number(4), // Print
            [NameToken.Rect] = Rectangle(field.Rectangle),
            [NameToken.P] = Ref(revision.Pages[page]),
            [NameToken.Create("DA")] = new StringToken(string.Create(CultureInfo.InvariantCulture, $"/Helv {field.FontSize:0.##} Tf 0 g")),
            [NameToken.Create("Q")] = Number((int)field.Alignment),
        };
        if (field.Opaque)
            entries[NameToken.Create("MK")] = new DictionaryToken(new Dictionary<NameToken, IToken> { [NameToken.Create("BG")] = Array(Number(1)) });
        var widget = _update.Add(new DictionaryToken(entries));
        Annotate(page, widget);
        return widget;
    }

    private DictionaryToken WithFields(DictionaryToken catalog, IReadOnlyList<IndirectReference> added)
    {
        var existingReference = catalog.Get<IndirectReferenceToken>(AcroForm);
        var form = revision.Resolve(catalog.Data.GetValueOrDefault(AcroForm.Data)) as DictionaryToken
            ?? new DictionaryToken(new Dictionary<NameToken, IToken>());
        var fields = revision.Resolve(form.Data.GetValueOrDefault(Fields.Data)) is ArrayToken array ? array.Data : [];
        form = form.With(Fields, new ArrayToken([.. fields, .. added.Select(a => (IToken)Ref(a))])).With(SigFlags, Number(3));
        if (request.FillableFields.Count > 0) form = WithHelvetica(form);
        if (existingReference is not null)
        {
            _update.Set(existingReference.Data, form);
            return catalog;
        }
        return catalog.With(AcroForm, Ref(_update.Add(form)));
    }

    private DictionaryToken WithHelvetica(DictionaryToken form)
    {
        var resources = revision.Resolve(form.Data.GetValueOrDefault("DR")) as DictionaryToken ?? new DictionaryToken(new Dictionary<NameToken, IToken>());
        var fonts = revision.Resolve(resources.Data.GetValueOrDefault(NameToken.Font.Data)) as DictionaryToken ?? new DictionaryToken(new Dictionary<NameToken, IToken>());
        if (fonts.Data.ContainsKey("Helv")) return form;
        var helvetica = _update.Add(new DictionaryToken(new Dictionary<NameToken, IToken>
        {
            [NameToken.Type] = NameToken.Font,
            [NameToken.Subtype] = NameToken.Type1,
            [NameToken.BaseFont] = NameToken.Create("Helvetica"),
            [NameToken.Encoding] = NameToken.WinAnsiEncoding,
        }));
        fonts = fonts.With(NameToken.Create("Helv"), Ref(helvetica));
        return form.With(NameToken.Create("DR"), resources.With(NameToken.Font, fonts));
    }

    private static void EnsureFirstSignature(IReadOnlyList<FormField> existing, bool certified)
    {
        if (certified || existing.Any(f => f.Type == "Sig" && f.HasValue))
            throw new PdfSigningException("already-signed", "A certifying signature must be the document's first; this document is already signed.");
    }

    private static void EnsureNewNames(IReadOnlyList<FormField> existing, IReadOnlyList<string> names)
    {
        var taken = existing.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!taken.Add(name)) throw new PdfSigningException("field-exists", $"The document already has a field named '{name}'.");
        }
    }

    private DictionaryToken WithSecurityStore(DictionaryToken catalog, RevocationMaterial material)
    {
        var existing = revision.Resolve(catalog.Data.GetValueOrDefault(Dss.Data)) as DictionaryToken
            ?? new DictionaryToken(new Dictionary<NameToken, IToken>());
        var store = existing;
        foreach (var (key, items) in new[] { (Certs, material.Certificates), (Crls, material.Crls), (Ocsps, material.OcspResponses) })
        {
            if (items.Count == 0) continue;
            var kept = revision.Resolve(existing.Data.GetValueOrDefault(key.Data)) is ArrayToken array ? array.Data : [];
            var added = items.Select(item => (IToken)Ref(_update.Add(new StreamToken(new DictionaryToken(new Dictionary<NameToken, IToken>()), item))));
            store = store.With(key, new ArrayToken([.. kept, .. added]));
        }
        return catalog.With(Dss, Ref(_update.Add(store)));
    }

    private string FreeFieldName()
    {
        var form = revision.Resolve(revision.Catalog.Data.GetValueOrDefault(AcroForm.Data)) as DictionaryToken;
        var fields = form is not null && revision.Resolve(form.Data.GetValueOrDefault(Fields.Data)) is ArrayToken array ? array.Data : [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
            if (revision.Resolve(field) is DictionaryToken dictionary && dictionary.Data.GetValueOrDefault("T") is { } title)
                names.Add(title is StringToken s ? s.Data : title is HexToken h ? h.Data : "");
        var n = fields.Count + 1;
        while (names.Contains($"Signature{n}")) n++;
        return $"Signature{n}";
    }

    internal static string PdfDate(DateTimeOffset time)
    {
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return string.Create(CultureInfo.InvariantCulture, $"D:{time:yyyyMMddHHmmss}{sign}{Math.Abs(offset.Hours):D2}'{Math.Abs(offset.Minutes):D2}'");
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> needle, int start)
    {
        var at = bytes.AsSpan(start).IndexOf(needle);
        return at < 0 ? throw new InvalidOperationException("The signature dictionary was not written as expected.") : start + at;
    }
}
