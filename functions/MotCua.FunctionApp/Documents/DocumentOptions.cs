using System.ComponentModel.DataAnnotations;
using MotCua.Domain.Documents;

namespace MotCua.FunctionApp.Documents;

public sealed class DocumentOptions : IValidatableObject
{
    public const string Section = "Documents";

    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    [Range(1, 50)]
    public int MaxFilesPerSubmission { get; set; } = 20;

    /// <summary>Every document a dossier may ever hold, open upload tickets included.</summary>
    [Range(1, 1000)]
    public int MaxFilesPerDossier { get; set; } = 100;

    /// <summary>
    /// The kinds a dossier accepts, as judged from the bytes, comma-separated: pdf, png, jpeg, tiff,
    /// signature (.p7s), docx, xlsx, pptx, odt, ods, zip. Any other file is refused with 415.
    /// </summary>
    [Required]
    public string AcceptedKinds { get; set; } = "pdf,png,jpeg,tiff,signature,docx,xlsx,pptx,odt,ods,zip";

    public bool Accepts(DocumentKind kind) => Kinds().Contains(kind.Slug());

    /// <summary>Whether some ZIP-based kind (a plain archive or an office file) is accepted.</summary>
    public bool AcceptsAnyZipContainer() => Enum.GetValues<DocumentKind>().Any(k => k.IsZipContainer() && Accepts(k));

    private IEnumerable<string> Kinds() => AcceptedKinds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var unknown = Kinds().Where(k => DocumentKinds.FromSlug(k) is null).ToList();
        if (unknown.Count > 0)
            yield return new ValidationResult($"Unknown document kinds: {string.Join(", ", unknown)}.", [nameof(AcceptedKinds)]);
        if (!Kinds().Any())
            yield return new ValidationResult("At least one document kind must be accepted.", [nameof(AcceptedKinds)]);
    }
}
