using System.Globalization;
using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;

namespace MotCua.Signing.Forms;

/// <summary>Where one value goes on a page, and the size it is set in.</summary>
/// <param name="Opaque">The field hides what is printed under it (the date line's "ngày … tháng … năm …").</param>
public sealed record TextSlot(int PageIndex, PdfRectangle Rectangle, double FontSize, bool Opaque = false)
{
    public FillableTextField Field(string name) => new(name, PageIndex, Rectangle, FontSize) { Opaque = Opaque };
}

/// <summary>
/// Where the records clerk's number and date go on the first page of a Vietnamese administrative
/// document (Decree 30/2020/NĐ-CP, Appendix I): the blank after "Số:" under the agency's name, and
/// the place-and-date line under the national motto.
/// </summary>
/// <param name="Number">The blank after "Số:"; null when the page shows none.</param>
/// <param name="Date">
/// The date: over "ngày … tháng … năm …" (opaque, so the value is the whole "ngày 05 tháng 01 năm
/// 2027"), or right after the place name when the line ends with it; null when neither is found.
/// </param>
/// <param name="NotationPrinted">The notation ("/UBND-VP") is printed after the blank: the value is the number alone.</param>
public sealed record OfficialNumberPlacement(TextSlot? Number, TextSlot? Date, bool NotationPrinted = false)
{
    private const double DefaultSize = 13;

    /// <summary>
    /// Fixed places on a page without the usual text: the number under the agency's name at top left,
    /// the date under the motto at top right, where Appendix I puts them on A4.
    /// </summary>
    public static OfficialNumberPlacement Default(PdfRectangle pageBox)
    {
        var top = pageBox.Top - 130;
        var number = new PdfRectangle(pageBox.Left + 70, top, pageBox.Left + 260, top + 18);
        var date = new PdfRectangle(pageBox.Right - 300, top, pageBox.Right - 30, top + 18);
        return new OfficialNumberPlacement(new TextSlot(0, number, DefaultSize), new TextSlot(0, date, DefaultSize, Opaque: true));
    }

    /// <summary>This placement, its missing pieces taken from <paramref name="fallback"/>.</summary>
    public OfficialNumberPlacement Or(OfficialNumberPlacement fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new(Number ?? fallback.Number, Date ?? fallback.Date, Number is null ? fallback.NotationPrinted : NotationPrinted);
    }

    /// <summary>Reads the words of the first page of <paramref name="pdf"/> (seekable) and finds the blanks.</summary>
    /// <exception cref="PdfSigningException">The file cannot be read as a PDF.</exception>
    public static OfficialNumberPlacement Locate(Stream pdf)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        pdf.Position = 0;
        PdfDocument document;
        try
        {
            document = PdfDocument.Open(pdf, new ParsingOptions { UseLenientParsing = false, SkipMissingFonts = true });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PdfSigningException("unreadable-pdf", $"The PDF cannot be read: {e.Message}", e);
        }
        using (document)
        {
            if (document.NumberOfPages == 0) return new(null, null);
            var page = document.GetPage(1);
            var words = page.GetWords().Where(w => w.Letters.Count > 0).Select(w => new PlacedWord(w)).ToList();
            var box = new PdfRectangle(0, 0, page.Width, page.Height);
            // The header sits in the upper part of the page; text below is the body.
            var header = words.Where(w => w.Baseline > box.Top - box.Height * 0.45).ToList();
            var (number, notation) = FindNumber(header, box);
            return new OfficialNumberPlacement(number, FindDate(header, box), notation);
        }
    }

    private static (TextSlot? Slot, bool NotationPrinted) FindNumber(List<PlacedWord> words, PdfRectangle page)
    {
        var label = words.Where(w => w.Text.StartsWith("Số:", StringComparison.OrdinalIgnoreCase) || w.Text.StartsWith("SỐ:", StringComparison.Ordinal))
            .OrderByDescending(w => w.Baseline).ThenBy(w => w.Box.Left).FirstOrDefault();
        if (label is null || label.Text.Length > "Số:".Length) return (null, false);
        var size = label.Size;
        var left = label.Box.Right + 0.25 * size;
        var next = SameLine(words, label).Where(w => w.Box.Left > label.Box.Right).OrderBy(w => w.Box.Left).FirstOrDefault();
        double right;
        var notation = false;
        if (next is null)
        {
            right = Math.Min(left + 9 * size, page.Right - 20);
        }
        else if (next.Text.StartsWith('/'))
        {
            right = next.Box.Left - 0.1 * size;
            notation = true;
            if (right - left < 1.2 * size) return (null, false);
        }
        else
        {
            // Something other than the notation follows "Số:": a number is already there.
            return (null, false);
        }
        return (new TextSlot(0, Line(left, right, label.Baseline, size), size), notation);
    }

    private static TextSlot? FindDate(List<PlacedWord> words, PdfRectangle page)
    {
        foreach (var day in words.Where(w => Folded(w.Text) == "ngày").OrderByDescending(w => w.Baseline))
        {
            var after = SameLine(words, day).Where(w => w.Box.Left >= day.Box.Left).OrderBy(w => w.Box.Left).ToList();
            var month = after.FindIndex(w => Folded(w.Text) == "tháng");
            var year = after.FindIndex(w => Folded(w.Text) == "năm");
            if (month < 0 || year < month) continue;
            var size = day.Size;
            var right = Math.Max(after[^1].Box.Right, after[year].Box.Right + 3 * size);
            return new TextSlot(0, Line(day.Box.Left - 0.15 * size, Math.Min(right, page.Right - 15), day.Baseline, size), size, Opaque: true);
        }

        // "Khánh Hòa," and nothing after it: the date follows the place name.
        foreach (var place in words.Where(w => w.Text.EndsWith(',') && w.Box.Left > page.Width * 0.4).OrderByDescending(w => w.Baseline))
        {
            if (SameLine(words, place).Any(w => w.Box.Left > place.Box.Right)) continue;
            var size = place.Size;
            var left = place.Box.Right + 0.3 * size;
            return new TextSlot(0, Line(left, Math.Min(left + 14 * size, page.Right - 15), place.Baseline, size), size);
        }
        return null;
    }

    private static PdfRectangle Line(double left, double right, double baseline, double size) =>
        new(left, baseline - 0.3 * size, right, baseline + 0.95 * size);

    private static IEnumerable<PlacedWord> SameLine(List<PlacedWord> words, PlacedWord word) =>
        words.Where(w => !ReferenceEquals(w, word) && Math.Abs(w.Baseline - word.Baseline) < 0.3 * word.Size);

    private static string Folded(string text) => text.Normalize(NormalizationForm.FormC).Trim(',', '.', ' ').ToLower(CultureInfo.GetCultureInfo("vi-VN"));

    private sealed class PlacedWord(Word word)
    {
        public string Text { get; } = word.Text.Normalize(NormalizationForm.FormC);
        public PdfRectangle Box { get; } = word.BoundingBox;
        public double Baseline { get; } = word.Letters[0].StartBaseLine.Y;
        public double Size { get; } = word.Letters[0].PointSize is > 1 and < 72 ? word.Letters[0].PointSize : DefaultSize;
    }
}
