using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace MotCua.Signing;

/// <summary>
/// Where the objects of a drawing go: each one added becomes a new indirect object of the
/// incremental update being written.
/// </summary>
public interface IPdfObjectSink
{
    IndirectReference Add(IToken token);
}

/// <summary>
/// Something drawn on a page by a signature or a stamp: a form XObject whose bounding box is
/// [0 0 width height], with the fonts and images it uses.
/// </summary>
public interface IPdfDrawing
{
    /// <summary>Adds the form XObject and everything it references to <paramref name="sink"/>; returns the form's reference.</summary>
    IndirectReference Write(IPdfObjectSink sink, double width, double height);
}

/// <summary>Where a drawing sits: a page (0 is the first) and a rectangle in points from the page's lower-left corner.</summary>
public sealed record PdfPlacement(int PageIndex, PdfRectangle Rectangle);

/// <summary>A drawing placed on a page.</summary>
public sealed record PlacedDrawing(PdfPlacement Placement, IPdfDrawing Drawing);
