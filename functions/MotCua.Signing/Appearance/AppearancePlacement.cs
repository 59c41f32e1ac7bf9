using System.ComponentModel.DataAnnotations;
using UglyToad.PdfPig.Core;

namespace MotCua.Signing.Appearance;

public enum PageAnchor
{
    First,
    Last,
}

public enum PageCorner
{
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

/// <summary>
/// Where a drawing goes, independent of the page size: a page (the first, the last, or a 1-based
/// number), a corner, the drawing's size and its distance from the page edges, all in points.
/// </summary>
public sealed class AppearancePlacement
{
    public PageAnchor Page { get; set; } = PageAnchor.Last;

    /// <summary>A 1-based page number; when set it wins over <see cref="Page"/>.</summary>
    [Range(1, int.MaxValue)]
    public int? PageNumber { get; set; }

    public PageCorner Corner { get; set; } = PageCorner.BottomRight;

    [Range(1, 2000)]
    public double Width { get; set; } = 200;

    [Range(1, 2000)]
    public double Height { get; set; } = 130;

    /// <summary>From the left or right edge of the page, whichever the corner names.</summary>
    [Range(0, 2000)]
    public double HorizontalMargin { get; set; } = 57;

    /// <summary>From the top or bottom edge of the page, whichever the corner names.</summary>
    [Range(0, 2000)]
    public double VerticalMargin { get; set; } = 71;

    /// <summary>
    /// The signer's block: bottom right of the last page, inside the margins of Decree 30/2020
    /// (right 15–20 mm, bottom 20–25 mm).
    /// </summary>
    public static AppearancePlacement SignatureBlockDefault() => new();

    /// <summary>The agency's mark on copies and attachments: top right of the first page.</summary>
    public static AppearancePlacement CopyStampDefault() => new()
    {
        Page = PageAnchor.First, Corner = PageCorner.TopRight, Width = 230, Height = 16, HorizontalMargin = 28, VerticalMargin = 20,
    };

    /// <summary>The QR mark: bottom left of the first page, wide enough for its one-line caption.</summary>
    public static AppearancePlacement QrMarkDefault() => new()
    {
        Page = PageAnchor.First, Corner = PageCorner.BottomLeft, Width = 240, Height = 90, HorizontalMargin = 28, VerticalMargin = 14,
    };

    /// <summary>The page and rectangle on a document whose pages have <paramref name="pageBoxes"/> (their media boxes, in order).</summary>
    public PdfPlacement Resolve(IReadOnlyList<PdfRectangle> pageBoxes)
    {
        ArgumentNullException.ThrowIfNull(pageBoxes);
        if (pageBoxes.Count == 0) throw new ArgumentException("The document has no pages.", nameof(pageBoxes));
        var index = PageNumber is { } number ? number - 1 : Page == PageAnchor.First ? 0 : pageBoxes.Count - 1;
        if (index >= pageBoxes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(pageBoxes), $"Page {index + 1} is asked for, but the document has {pageBoxes.Count}.");
        }

        var page = pageBoxes[index];
        var left = Corner is PageCorner.TopLeft or PageCorner.BottomLeft ? page.Left + HorizontalMargin : page.Right - HorizontalMargin - Width;
        var bottom = Corner is PageCorner.BottomLeft or PageCorner.BottomRight ? page.Bottom + VerticalMargin : page.Top - VerticalMargin - Height;
        return new PdfPlacement(index, new PdfRectangle(left, bottom, left + Width, bottom + Height));
    }
}
