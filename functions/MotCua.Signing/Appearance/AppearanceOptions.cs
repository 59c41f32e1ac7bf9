using System.ComponentModel.DataAnnotations;

namespace MotCua.Signing.Appearance;

/// <summary>
/// What signatures look like, per agency and per person, bound from the <c>Signing</c> section:
/// <code>
/// "Signing:FontDirectory": "/usr/share/fonts/truetype/dejavu",
/// "Signing:Agencies:000.21.31.H56:SealImage": "Demo/seal.png",
/// "Signing:Agencies:000.21.31.H56:QrMark:Corner": "BottomRight",
/// "Signing:People:{userId}:SignatureImage": "Demo/signature.png"
/// </code>
/// Image paths are PNG or JPEG files, relative to <see cref="ImageDirectory"/> unless absolute.
/// An agency or person not listed gets the default placements and no image.
/// </summary>
public sealed class AppearanceOptions : IValidatableObject
{
    public const string Section = "Signing";

    [Required]
    public string FontDirectory { get; set; } = AppearanceFonts.DefaultDirectory;

    /// <summary>Where relative image paths start; the application's folder when empty.</summary>
    public string? ImageDirectory { get; set; }

    /// <summary>
    /// By unit identifier (e.g. 000.21.31.H56). Environment variable names cannot hold dots in a
    /// shell or in App Service on Linux, so the identifier may be written with underscores there
    /// (Signing__Agencies__000_21_31_H56__SealImage).
    /// </summary>
    public Dictionary<string, AgencyAppearance> Agencies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>By user identifier; as for agencies, '.' and '-' may be written '_' (Signing__People__chairman_001__SignatureImage).</summary>
    public Dictionary<string, PersonAppearance> People { get; set; } = new(StringComparer.Ordinal);

    public AgencyAppearance Agency(string unitId) =>
        Agencies.TryGetValue(unitId, out var agency) || Agencies.TryGetValue(unitId.Replace('.', '_'), out agency) ? agency : new AgencyAppearance();

    public PersonAppearance Person(string userId) =>
        People.TryGetValue(userId, out var person) || People.TryGetValue(userId.Replace('.', '_').Replace('-', '_'), out person) ? person : new PersonAppearance();

    public string ImagePath(string path) =>
        Path.IsPathRooted(path) ? path : Path.Combine(ImageDirectory is { Length: > 0 } folder ? folder : AppContext.BaseDirectory, path);

    /// <summary>Checks what attributes on nested objects cannot: every placement's ranges, and that every image is a readable PNG or JPEG.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!File.Exists(Path.Combine(FontDirectory, "DejaVuSans.ttf")) || !File.Exists(Path.Combine(FontDirectory, "DejaVuSans-Bold.ttf")))
        {
            yield return new ValidationResult($"{Section}:FontDirectory '{FontDirectory}' must hold DejaVuSans.ttf and DejaVuSans-Bold.ttf.", [nameof(FontDirectory)]);
        }
        foreach (var (unitId, agency) in Agencies)
        {
            var prefix = $"{Section}:Agencies:{unitId}";
            foreach (var result in Placement($"{prefix}:SignatureBlock", agency.SignatureBlock)) yield return result;
            foreach (var result in Placement($"{prefix}:CopyStamp", agency.CopyStamp)) yield return result;
            foreach (var result in Placement($"{prefix}:QrMark", agency.QrMark)) yield return result;
            if (Image($"{prefix}:SealImage", agency.SealImage) is { } error) yield return error;
        }
        foreach (var (userId, person) in People)
        {
            if (Image($"{Section}:People:{userId}:SignatureImage", person.SignatureImage) is { } error) yield return error;
        }
    }

    private static IEnumerable<ValidationResult> Placement(string key, AppearancePlacement placement)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(placement, new ValidationContext(placement), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"{key}: {r.ErrorMessage}", [key]));
    }

    private ValidationResult? Image(string key, string? path)
    {
        if (path is null) return null;
        try
        {
            SignatureImage.Load(ImagePath(path));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new ValidationResult($"{key} '{path}' is not a readable PNG or JPEG file: {e.Message}", [key]);
        }
    }
}

public sealed class AgencyAppearance
{
    /// <summary>The agency's seal (a red stamp on a transparent ground, PNG), drawn over the left third of the signer's image.</summary>
    public string? SealImage { get; set; }

    public AppearancePlacement SignatureBlock { get; set; } = AppearancePlacement.SignatureBlockDefault();
    public AppearancePlacement CopyStamp { get; set; } = AppearancePlacement.CopyStampDefault();
    public AppearancePlacement QrMark { get; set; } = AppearancePlacement.QrMarkDefault();
}

public sealed class PersonAppearance
{
    /// <summary>The person's handwritten signature, PNG with transparency or JPEG.</summary>
    public string? SignatureImage { get; set; }
}
