using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Signing.Forms;
using UglyToad.PdfPig;

namespace MotCua.FunctionApp.Tests.Signing;

/// <summary>Finding the number's blank and the date line on letters set as Decree 30/2020 lays them out.</summary>
public sealed class OfficialNumberPlacementTests
{
    [Fact]
    public void The_number_sits_between_So_and_the_notation_and_the_date_covers_its_line()
    {
        var pdf = OfficialLetters.Pdf(NumberAfterSignatureTests.Draft);

        var placement = OfficialNumberPlacement.Locate(new MemoryStream(pdf));

        var (label, notation, day, year) = Words(pdf, "Số:", "/UBND-VP", "ngày", "năm");
        var number = Assert.IsType<TextSlot>(placement.Number);
        Assert.True(placement.NotationPrinted);
        Assert.Equal(0, number.PageIndex);
        Assert.InRange(number.Rectangle.Left, label.Right, label.Right + 6);
        Assert.InRange(number.Rectangle.Right, notation.Left, notation.Left + 2);
        Assert.Equal(FieldAlignment.Right, number.Alignment);
        Assert.InRange(label.Bottom, number.Rectangle.Bottom, number.Rectangle.Top);
        Assert.Equal(12.5, number.FontSize, 1);

        var date = Assert.IsType<DatePlacement>(placement.Date);
        Assert.Null(date.Whole);
        var (dayBlank, monthBlank, yearBlank) = (date.Day!.Rectangle, date.Month!.Rectangle, date.Year!.Rectangle);
        Assert.InRange(dayBlank.Left, day.Right, day.Right + 3);
        Assert.InRange(monthBlank.Right, year.Left - 3, year.Left);
        Assert.True(dayBlank.Right < monthBlank.Left, "the day's blank ends before \"tháng\" and the month's starts after it");
        Assert.InRange(day.Bottom, dayBlank.Bottom, dayBlank.Top);
        Assert.Equal("20", date.YearPrinted);
        Assert.True(yearBlank.Left > year.Right);
        Assert.Equal(
            new Dictionary<string, string> { ["so"] = "7", ["ngay-ngay"] = "05", ["ngay-thang"] = "01", ["ngay-nam"] = "27" },
            placement.Values("so", "7", "UBND-VP", "ngay", new DateOnly(2027, 1, 5)));
        Assert.Equal(["so", "ngay-ngay", "ngay-thang", "ngay-nam"], placement.Fields("so", "ngay").Select(f => f.Name));
    }

    [Fact]
    public void A_letter_already_numbered_has_no_number_blank()
    {
        var placement = OfficialNumberPlacement.Locate(new MemoryStream(OfficialLetters.Pdf(SampleLetters.ProvinceLetter)));

        Assert.Null(placement.Number);
        Assert.Null(placement.Date!.Year);
        Assert.Equal("11/UBND-VP", placement.Or(OfficialNumberPlacement.Default(DrawingPdf.A4)).Values("so", "11", "UBND-VP", "ngay", new DateOnly(2026, 3, 9))["so"]);
    }

    [Fact]
    public void A_date_line_ending_with_the_place_takes_the_date_after_it()
    {
        var pdf = OfficialLetters.Pdf(NumberAfterSignatureTests.Draft with { PlaceAndDate = "Nha Trang," });

        var placement = OfficialNumberPlacement.Locate(new MemoryStream(pdf));

        var date = Assert.IsType<TextSlot>(placement.Date?.Whole);
        var place = Words(pdf, "Trang,").Item1;
        Assert.InRange(date.Rectangle.Left, place.Right, place.Right + 6);
        Assert.Equal("ngày 09 tháng 3 năm 2026", placement.Values("so", "1", "UBND-VP", "ngay", new DateOnly(2026, 3, 9))["ngay"]);
    }

    [Fact]
    public void A_page_without_the_usual_text_falls_back_to_the_fixed_places()
    {
        var pdf = SignedPdfBuilder.CreatePdf(["Bao cao tong hop", "Noi dung"]);

        var found = OfficialNumberPlacement.Locate(new MemoryStream(pdf));
        var placement = found.Or(OfficialNumberPlacement.Default(DrawingPdf.A4));

        Assert.Null(found.Number);
        Assert.Null(found.Date);
        var date = placement.Date!.Whole!.Rectangle;
        Assert.True(placement.Number!.Rectangle.Right < date.Left, "number top left, date top right");
        Assert.True(placement.Number.Rectangle.Bottom > 842 / 2.0 && date.Top < 842);
    }

    private static (UglyToad.PdfPig.Core.PdfRectangle, UglyToad.PdfPig.Core.PdfRectangle, UglyToad.PdfPig.Core.PdfRectangle, UglyToad.PdfPig.Core.PdfRectangle) Words(byte[] pdf, params string[] texts)
    {
        using var document = PdfDocument.Open(pdf);
        var words = document.GetPage(1).GetWords().ToList();
        var boxes = texts.Select(t => words.First(w => w.Text.Normalize(System.Text.NormalizationForm.FormC) == t).BoundingBox).ToList();
        while (boxes.Count < 4) boxes.Add(boxes[0]);
        return (boxes[0], boxes[1], boxes[2], boxes[3]);
    }
}
