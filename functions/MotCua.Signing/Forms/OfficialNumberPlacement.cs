using System.Globalization;
using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;

namespace MotCua.Signing.Forms;

/// <summary>Where one value goes on a page, and the size it is set in.</summary>
public sealed record TextSlot(int PageIndex, PdfRectangle Rectangle, double FontSize)
{
    public FieldAlignment Alignment { get; init; } = FieldAlignment.Left;

    public FillableTextField Field(string name) => new(name, PageIndex, Rectangle, FontSize) { Alignment = Alignment };
}

/// <summary>
/// Where the date goes: the blanks of a printed "ngày … tháng … năm …" (day, month, and the year
/// unless it is printed whole), or one place for the whole "ngày 05 tháng 01 năm 2027".
/// </summary>
public sealed record DatePlacement
{
    public TextSlot? Whole { get; init; }
    public TextSlot? Day { get; init; }
    public TextSlot? Month { get; init; }
    public TextSlot? Year { get; init; }

    /// <summary>The digits printed after "năm" before the year's blank ("20" of "năm 20…").</summary>
    public string YearPrinted { get; init; } = "";

    /// <summary>One field named <paramref name="name"/> for the whole date, else "{name}-ngay", "{name}-thang", "{name}-nam".</summary>
    public IReadOnlyList<FillableTextField> Fields(string name)
    {
        if (Whole is not null) return [Whole.Field(name)];
        var fields = new List<FillableTextField>();
        if (Day is not null) fields.Add(Day.Field($"{name}-ngay"));
        if (Month is not null) fields.Add(Month.Field($"{name}-thang"));
        if (Year is not null) fields.Add(Year.Field($"{name}-nam"));
        return fields;
    }

    /// <summary>
    /// The values of <see cref="Fields"/> for <paramref name="date"/>: a day below 10 and the months
    /// January and February take a leading zero (Decree 30/2020/NĐ-CP, Appendix I).
    /// </summary>
    public IReadOnlyDictionary<string, string> Values(string name, DateOnly date)
    {
        var day = date.Day < 10 ? $"0{date.Day}" : date.Day.ToString(CultureInfo.InvariantCulture);
        var month = date.Month < 3 ? $"0{date.Month}" : date.Month.ToString(CultureInfo.InvariantCulture);
        var year = date.Year.ToString(CultureInfo.InvariantCulture);
        if (Whole is not null) return new Dictionary<string, string> { [name] = $"ngày {day} tháng {month} năm {year}" };
        var values = new Dictionary<string, string>();
        if (Day is not null) values[$"{name}-ngay"] = day;
        if (Month is not null) values[$"{name}-thang"] = month;
        if (Year is not null) values[$"{name}-nam"] = year.StartsWith(YearPrinted, StringComparison.Ordinal) ? year[YearPrinted.Length..] : year;
        return values;
    }
}

/// <summary>
/// Where the records clerk's number and date go on the first page of a Vietnamese administrative
/// document (Decree 30/2020/NĐ-CP, Appendix I): the blank after "Số:" under the agency's name, and
/// the place-and-date line under the national motto.
/// </summary>
/// <param name="Number">The blank after "Số:"; null when the page shows none.</param>
/// <param name="Date">The blanks of "ngày … tháng … năm …", or the place after the place name; null when neither is found.</param>
/// <param name="NotationPrinted">The notation ("/UBND-VP") is printed after the blank: the value is the number alone.</param>
public sealed record OfficialNumberPlacement(TextSlot? Number, DatePlacement? Date, bool NotationPrinted = false)
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
        return new OfficialNumberPlacement(new TextSlot(0, number, DefaultSize), new DatePlacement { Whole = new TextSlot(0, date, DefaultSize) });
    }

    /// <summary>This placement, its missing pieces taken from <paramref name="fallback"/>.</summary>
    public OfficialNumberPlacement Or(OfficialNumberPlacement fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new(Number ?? fallback.Number, Date ?? fallback.Date, Number is null ? fallback.NotationPrinted : NotationPrinted);
    }

    /// <summary>The empty fields to add with the person's signature: the number's, and the date's (one, or one per blank).</summary>
    public IReadOnlyList<FillableTextField> Fields(string numberField, string dateField)
    {
        var fields = new List<FillableTextField>();
        if (Number is not null) fields.Add(Number.Field(numberField));
        if (Date is not null) fields.AddRange(Date.Fields(dateField));
        return fields;
    }

    /// <summary>
    /// The values for <see cref="PdfFieldFiller"/>: the number (with its notation unless the page prints
    /// it) and the date as Decree 30/2020 writes it.
    /// </summary>
    public IReadOnlyDictionary<string, string> Values(string numberField, string number, string notation, string dateField, DateOnly date)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Number is not null) values[numberField] = NotationPrinted ? number : $"{number}/{notation.TrimStart('/')}";
        if (Date is not null) foreach (var (name, value) in Date.Values(dateField, date)) values[name] = value;
        return values;
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
            // Set flush against the notation: "Số: 15/UBND-VP".
            right = next.Box.Left + 1.5;
            notation = true;
            if (right - left < 1.2 * size) return (null, false);
        }
        else
        {
            // Something other than the notation follows "Số:": a number is already there.
            return (null, false);
        }
        return (new TextSlot(0, Line(left, right, label.Baseline, size), size) { Alignment = notation ? FieldAlignment.Right : FieldAlignment.Left }, notation);
    }

    private static DatePlacement? FindDate(List<PlacedWord> words, PdfRectangle page)
    {
        foreach (var day in words.Where(w => Folded(w.Text) == "ngày").OrderByDescending(w => w.Baseline))
        {
            var after = SameLine(words, day).Where(w => w.Box.Left > day.Box.Left).OrderBy(w => w.Box.Left).ToList();
            var month = after.FindIndex(w => Folded(w.Text) == "tháng");
            var year = after.FindIndex(w => Folded(w.Text) == "năm");
            if (month < 0 || year < month) continue;
            var size = day.Size;
            var printedYear = after.Skip(year + 1).FirstOrDefault(w => w.Text.All(char.IsAsciiDigit));
            // The year's digits follow those printed ("năm 20…") with no space; after a bare "năm", a space.
            var yearLeft = printedYear is null ? after[year].Box.Right + 0.25 * size : printedYear.Box.Right - 2;
            TextSlot? yearSlot = printedYear is { Text.Length: >= 4 } ? null
                : new TextSlot(0, Line(yearLeft, Math.Min(yearLeft + 2.5 * size, page.Right - 10), day.Baseline, size), size);
            return new DatePlacement
            {
                Day = Blank(day.Box.Right, after[month].Box.Left, day.Baseline, size),
                Month = Blank(after[month].Box.Right, after[year].Box.Left, day.Baseline, size),
                Year = yearSlot,
                YearPrinted = printedYear is { Text.Length: < 4 } ? printedYear.Text : "",
            };
        }

        // "Khánh Hòa," and nothing after it: the whole date follows the place name.
        foreach (var place in words.Where(w => w.Text.EndsWith(',') && w.Box.Left > page.Width * 0.4).OrderByDescending(w => w.Baseline))
        {
            if (SameLine(words, place).Any(w => w.Box.Left > place.Box.Right)) continue;
            var size = place.Size;
            var left = place.Box.Right + 0.3 * size;
            return new DatePlacement { Whole = new TextSlot(0, Line(left, Math.Min(left + 14 * size, page.Right - 15), place.Baseline, size), size) };
        }
        return null;
    }

    /// <summary>The gap between two printed words, when it is wide enough for two digits.</summary>
    private static TextSlot? Blank(double after, double before, double baseline, double size)
    {
        var (left, right) = (after + 0.1 * size, before - 0.1 * size);
        return right - left < 1.1 * size ? null : new TextSlot(0, Line(left, right, baseline, size), size) { Alignment = FieldAlignment.Centre };
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
