using MotCua.Signing.Forms;
using UglyToad.PdfPig.Core;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>
/// The fields the person signs empty and the records clerk fills (decision 0015): where the first
/// page shows "Số:" and the date line, else Appendix I's usual places. Read from the page's text, so
/// the signed file gives the same placement as the draft did.
/// </summary>
public static class OutgoingNumberFields
{
    public const string Number = "SoVanBan";
    public const string Date = "NgayBanHanh";

    public static OfficialNumberPlacement Placement(Stream pdf, IReadOnlyList<PdfRectangle> pages) =>
        OfficialNumberPlacement.Locate(pdf).Or(OfficialNumberPlacement.Default(pages[0]));
}
