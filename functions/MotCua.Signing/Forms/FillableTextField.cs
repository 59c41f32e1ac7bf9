using UglyToad.PdfPig.Core;

namespace MotCua.Signing.Forms;

public enum FieldAlignment
{
    Left = 0,
    Centre = 1,
    Right = 2,
}

/// <summary>
/// A text field added empty with a signature, for a value written after it (the number and date of
/// an outgoing document): a page (0 is the first), a rectangle in points from the page's lower-left
/// corner, and the size its text is set in.
/// </summary>
public sealed record FillableTextField(string Name, int PageIndex, PdfRectangle Rectangle, double FontSize = 13)
{
    public FieldAlignment Alignment { get; init; } = FieldAlignment.Left;

    /// <summary>A white background, hiding what the page prints under the field (a template's "ngày … tháng … năm …").</summary>
    public bool Opaque { get; init; }
}
