using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace MotCua.Signing.Pdf;

/// <summary>A terminal form field: its fully qualified name, its dictionary, the values it inherits, and its widgets.</summary>
internal sealed record FormField(
    string Name,
    IndirectReference Reference,
    DictionaryToken Dictionary,
    string? Type,
    int Flags,
    string? DefaultAppearance,
    int Alignment,
    IReadOnlyList<(IndirectReference Reference, DictionaryToken Dictionary)> Widgets)
{
    public bool HasValue => Dictionary.Data.GetValueOrDefault("V") switch
    {
        null or NullToken => false,
        StringToken s => s.Data.Length > 0,
        HexToken h => h.Data.Length > 0,
        _ => true,
    };
}

/// <summary>Reads the AcroForm's field tree (ISO 32000-1 §12.7.3): names joined with dots, inheritable entries taken from the ancestors.</summary>
internal static class FormFields
{
    private const int MaxDepth = 32, MaxFields = 10_000;
    public static readonly NameToken AcroForm = NameToken.Create("AcroForm");
    public static readonly NameToken Fields = NameToken.Create("Fields");

    public static IReadOnlyList<FormField> Read(PdfRevision revision)
    {
        var found = new List<FormField>();
        var form = revision.Resolve(revision.Catalog.Data.GetValueOrDefault(AcroForm.Data)) as DictionaryToken;
        if (form is null || revision.Resolve(form.Data.GetValueOrDefault(Fields.Data)) is not ArrayToken fields) return found;
        var inherited = new Inherited(null, null, 0, (form.Data.GetValueOrDefault("DA") as StringToken)?.Data, Number(form, "Q"));
        var seen = new HashSet<long>();
        foreach (var field in fields.Data.OfType<IndirectReferenceToken>()) Walk(revision, field.Data, inherited, 0, seen, found);
        return found;
    }

    public static string? Name(IToken? token) => token switch
    {
        StringToken s => s.Data,
        HexToken h => h.Data,
        _ => null,
    };

    private sealed record Inherited(string? Name, string? Type, int Flags, string? DefaultAppearance, int Alignment);

    private static void Walk(PdfRevision revision, IndirectReference reference, Inherited parent, int depth, HashSet<long> seen, List<FormField> found)
    {
        if (depth > MaxDepth || found.Count > MaxFields || !seen.Add(reference.ObjectNumber)) return;
        if (revision.Resolve(new IndirectReferenceToken(reference)) is not DictionaryToken dictionary) return;
        var partial = Name(dictionary.Data.GetValueOrDefault("T"));
        var here = new Inherited(
            partial is null ? parent.Name : parent.Name is null ? partial : $"{parent.Name}.{partial}",
            (dictionary.Data.GetValueOrDefault("FT") as NameToken)?.Data ?? parent.Type,
            dictionary.Data.ContainsKey("Ff") ? Number(dictionary, "Ff") : parent.Flags,
            (dictionary.Data.GetValueOrDefault("DA") as StringToken)?.Data ?? parent.DefaultAppearance,
            dictionary.Data.ContainsKey("Q") ? Number(dictionary, "Q") : parent.Alignment);

        var kids = (revision.Resolve(dictionary.Data.GetValueOrDefault("Kids")) as ArrayToken)?.Data.OfType<IndirectReferenceToken>().ToList() ?? [];
        var kidFields = new List<IndirectReference>();
        var widgets = new List<(IndirectReference, DictionaryToken)>();
        if (dictionary.Get<NameToken>(NameToken.Subtype)?.Data == "Widget") widgets.Add((reference, dictionary));
        foreach (var kid in kids)
        {
            if (revision.Resolve(kid) is not DictionaryToken kidDictionary) continue;
            if (kidDictionary.Data.ContainsKey("T")) kidFields.Add(kid.Data);
            else widgets.Add((kid.Data, kidDictionary));
        }
        if (kidFields.Count > 0)
        {
            foreach (var kid in kidFields) Walk(revision, kid, here, depth + 1, seen, found);
            return;
        }
        if (here.Name is not null)
            found.Add(new FormField(here.Name, reference, dictionary, here.Type, here.Flags, here.DefaultAppearance, here.Alignment, widgets));
    }

    private static int Number(DictionaryToken dictionary, string key) =>
        dictionary.Data.GetValueOrDefault(key) is NumericToken n ? n.Int : 0;
}
