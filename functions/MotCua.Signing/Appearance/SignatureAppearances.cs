using UglyToad.PdfPig.Core;

namespace MotCua.Signing.Appearance;

/// <summary>
/// The drawings a signing places, configured per agency and person by <see cref="AppearanceOptions"/>:
/// the signer's block (person's layer, agency's seal layer), the copy stamp and the QR mark.
/// </summary>
public sealed class SignatureAppearances(AppearanceOptions options)
{
    private readonly Lazy<AppearanceFonts> _fonts = new(() => AppearanceFonts.Load(options.FontDirectory));

    /// <summary>The block as it will finally look, for a document the person signs for <paramref name="unitId"/>.</summary>
    public SignatureBlock Block(string unitId, string userId, SigningAuthority? authority, string position, string fullName) => new(
        authority,
        position,
        fullName,
        Image(options.Person(userId).SignatureImage),
        Image(options.Agency(unitId).SealImage));

    /// <summary>The person's signature shows the block's text and their image; the agency's shows its seal over it.</summary>
    public PlacedDrawing SignerBlock(string unitId, SignatureBlock block, IReadOnlyList<PdfRectangle> pageBoxes, SignatureBlockLayers layers) =>
        new(options.Agency(unitId).SignatureBlock.Resolve(pageBoxes), new SignatureBlockDrawing(block, _fonts.Value, layers));

    public PlacedDrawing CopyStamp(string unitId, CopyStamp stamp, IReadOnlyList<PdfRectangle> pageBoxes) =>
        new(options.Agency(unitId).CopyStamp.Resolve(pageBoxes), new CopyStampDrawing(stamp, _fonts.Value));

    public PlacedDrawing QrMark(string unitId, QrMark mark, IReadOnlyList<PdfRectangle> pageBoxes) =>
        new(options.Agency(unitId).QrMark.Resolve(pageBoxes), new QrMarkDrawing(mark, _fonts.Value));

    private SignatureImage? Image(string? path) => path is null ? null : SignatureImage.Load(options.ImagePath(path));
}
