using UglyToad.PdfPig.Tokens;

namespace MotCua.Signing.Pdf;

/// <summary>The document's certification, read from the catalog's <c>/Perms /DocMDP</c> signature (ISO 32000-1 §12.8.2.2).</summary>
internal static class DocMdp
{
    public static readonly NameToken Perms = NameToken.Create("Perms");
    public static readonly NameToken DocMdpKey = NameToken.Create("DocMDP");

    /// <summary>The <c>/P</c> of the certification (2 when it is not given), or null for a document that is not certified.</summary>
    public static int? Permission(PdfRevision revision)
    {
        if (revision.Resolve(revision.Catalog.Data.GetValueOrDefault(Perms.Data)) is not DictionaryToken perms) return null;
        if (revision.Resolve(perms.Data.GetValueOrDefault(DocMdpKey.Data)) is not DictionaryToken signature) return null;
        if (revision.Resolve(signature.Data.GetValueOrDefault("Reference")) is ArrayToken references)
        {
            foreach (var item in references.Data)
            {
                if (revision.Resolve(item) is not DictionaryToken reference || (reference.Data.GetValueOrDefault("TransformMethod") as NameToken)?.Data != "DocMDP") continue;
                return revision.Resolve(reference.Data.GetValueOrDefault("TransformParams")) is DictionaryToken parameters
                    && revision.Resolve(parameters.Data.GetValueOrDefault("P")) is NumericToken p ? p.Int : 2;
            }
        }
        return 2;
    }
}
