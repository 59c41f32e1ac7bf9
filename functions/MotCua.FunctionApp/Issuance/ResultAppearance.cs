using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Dossiers;
using MotCua.Signing;
using MotCua.Signing.Appearance;

namespace MotCua.FunctionApp.Issuance;

/// <summary>
/// What the signatures on a result show, as Decree 30/2020 Appendix I has them for a commune's or
/// ward's decision: "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", the chairman's signature image and name; the
/// agency's seal then lands over the left third of the signature, drawn in the same rectangle. The
/// QR code of the public check goes on with the person's signature, so both signatures cover it.
/// </summary>
public sealed class ResultAppearance(SignatureAppearances appearances, IOptions<ResultOptions> options)
{
    private static readonly SigningAuthority CommuneCommittee = new(SigningAuthorityKind.OnBehalfOf, "Ủy ban nhân dân");
    private const string ChairmanPosition = "Chủ tịch";

    public PlacedDrawing Person(DossierEntity dossier, CurrentUser signer, IReadOnlyList<UglyToad.PdfPig.Core.PdfRectangle> pages) =>
        appearances.SignerBlock(dossier.ReceivingUnit, Block(dossier.ReceivingUnit, signer.Id, signer.Name), pages, SignatureBlockLayers.Signer);

    public PlacedDrawing CheckMark(string unitId, string checkId, IReadOnlyList<UglyToad.PdfPig.Core.PdfRectangle> pages) =>
        appearances.QrMark(unitId, new QrMark(new Uri(options.Value.CheckUrl(checkId))), pages);

    /// <summary>The seal layer of the person's block, in the rectangle the person's signature occupies.</summary>
    public PlacedDrawing Seal(string unitId, ResultEntity result, IReadOnlyList<UglyToad.PdfPig.Core.PdfRectangle> pages) =>
        appearances.SignerBlock(unitId, Block(unitId, result.PersonSignerId!, result.PersonSignerName!), pages, SignatureBlockLayers.Seal);

    private SignatureBlock Block(string unitId, string userId, string name) => appearances.Block(unitId, userId, CommuneCommittee, ChairmanPosition, name);
}
