using System.Text;
using MotCua.Domain.Documents;
using Xunit;

namespace MotCua.Domain.Tests;

public class PdfSignatureScannerTests
{
    /// <summary>A file laid out like a signed PDF: a signature dictionary whose byte range brackets its hex contents.</summary>
    private static byte[] SignedLayout(int paddingBefore, string der, bool coverAll = true, string subFilter = "ETSI.CAdES.detached")
    {
        var before = "%PDF-1.7\n" + new string('x', paddingBefore) + $"\n5 0 obj\n<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /{subFilter} /ByteRange [0 AAAAAAAAAA BBBBBBBBBB CCCCCCCCCC] /Contents ";
        var contents = "<" + der + new string('0', 64) + ">";
        var after = " /M (D:20261122)>>\nendobj\n%%EOF\n";
        var a = before.Length;
        var b = a + contents.Length;
        var c = after.Length + (coverAll ? 0 : -5);
        var text = before.Replace("AAAAAAAAAA", a.ToString("D10")).Replace("BBBBBBBBBB", b.ToString("D10")).Replace("CCCCCCCCCC", c.ToString("D10"))
            + contents + after;
        return Encoding.ASCII.GetBytes(text);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(65_530)] // the key straddles the scanner's chunk boundary
    [InlineData(200_000)]
    public void Finds_the_signature_and_reads_its_contents_without_padding(int paddingBefore)
    {
        var file = SignedLayout(paddingBefore, "3003020105");
        var fields = PdfSignatureScanner.Scan(new MemoryStream(file));

        var field = Assert.Single(fields);
        Assert.Null(field.Problem);
        Assert.Equal("ETSI.CAdES.detached", field.SubFilter);
        Assert.Equal(file.Length, field.CoveredUpTo);
        Assert.Equal(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 }, PdfSignatureScanner.ReadContents(new MemoryStream(file), field));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(20_000)] // the /M after a /Contents larger than the window around /ByteRange
    public void The_claimed_signing_time_is_read_from_the_dictionary(int derHexLength)
    {
        var file = SignedLayout(10, "30" + new string('0', derHexLength));

        var field = Assert.Single(PdfSignatureScanner.Scan(new MemoryStream(file)));

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), field.ClaimedTime);
    }

    [Fact]
    public void Another_object_s_date_and_longer_names_are_not_taken_for_the_claimed_time()
    {
        var text = Encoding.ASCII.GetString(SignedLayout(10, "3003020105"))
            .Replace(" /M (D:20261122)>>", " /MDP (D:20991231)>>")
            .Replace("%%EOF", "6 0 obj\n<< /Type /Annot /M (D:20200101) >>\nendobj\n%%EOF");
        var field = Assert.Single(PdfSignatureScanner.Scan(new MemoryStream(Encoding.ASCII.GetBytes(text))));

        Assert.Null(field.ClaimedTime);
    }

    [Theory]
    [InlineData("D:20261122093000+07'00'", "2026-11-22T09:30:00+07:00")]
    [InlineData("D:20261122093000Z", "2026-11-22T09:30:00+00:00")]
    [InlineData("D:202611", "2026-11-01T00:00:00+00:00")]
    [InlineData("D:20261122093000-05'30", "2026-11-22T09:30:00-05:30")]
    [InlineData("D:20261399", null)]
    [InlineData("yesterday", null)]
    public void Pdf_dates_are_parsed_with_their_optional_parts(string text, string? expected) =>
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), PdfDate.Parse(text));

    [Fact]
    public void A_truncated_file_says_so()
    {
        var file = SignedLayout(10, "3003020105");

        var field = Assert.Single(PdfSignatureScanner.Scan(new MemoryStream(file[..^8])));

        Assert.Contains("truncated", field.Problem);
    }

    [Fact]
    public void A_range_that_stops_short_of_the_end_is_reported_as_such()
    {
        var file = SignedLayout(10, "3003020105", coverAll: false);
        var field = Assert.Single(PdfSignatureScanner.Scan(new MemoryStream(file)));
        Assert.Null(field.Problem);
        Assert.Equal(file.Length - 5, field.CoveredUpTo);
    }

    [Theory]
    [InlineData("/ByteRange [0 10 20]", "not four numbers")]
    [InlineData("/ByteRange [5 10 20 30]", "does not start")]
    [InlineData("/ByteRange [0 10 20 999999]", "outside the file")]
    [InlineData("/ByteRange [0 3 9 1]", "not the /Contents")]
    public void Broken_byte_ranges_are_problems_not_crashes(string dictionary, string problem)
    {
        var file = Encoding.ASCII.GetBytes("%PDF-1.7\n<</Type /Sig " + dictionary + " /Contents <00>>>\n%%EOF\n" + new string(' ', 100));
        var field = Assert.Single(PdfSignatureScanner.Scan(new MemoryStream(file)));
        Assert.Contains(problem, field.Problem);
    }

    [Fact]
    public void An_unsigned_file_has_no_fields() =>
        Assert.Empty(PdfSignatureScanner.Scan(new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF"))));
}
