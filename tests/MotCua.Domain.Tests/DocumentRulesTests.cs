using System.Text;
using MotCua.Domain.Documents;
using MotCua.Domain.Dossiers;
using Xunit;

namespace MotCua.Domain.Tests;

public sealed class DocumentRulesTests
{
    [Theory]
    [InlineData("%PDF-1.7\n...")]
    [InlineData("\n\n%PDF-2.0\n")]
    public void IsPdf_PdfHeader_IsRecognised(string head) => Assert.True(PdfHeader.IsPdf(Encoding.ASCII.GetBytes(head)));

    [Theory]
    [InlineData("GIF89a")]
    [InlineData("%PDF")]
    [InlineData("%PDF-x.y")]
    [InlineData("")]
    public void IsPdf_OtherBytes_AreRefused(string head) => Assert.False(PdfHeader.IsPdf(Encoding.ASCII.GetBytes(head)));

    [Fact]
    public void IsPdf_HeaderPastTheFirstKilobyte_IsRefused() =>
        Assert.False(PdfHeader.IsPdf(Encoding.ASCII.GetBytes(new string(' ', 1100) + "%PDF-1.4")));

    [Theory]
    [InlineData("Tờ khai đăng ký khai sinh.pdf")]
    [InlineData("scan 01.PDF")]
    public void FileName_Plain_IsKeptInNfc(string name)
    {
        Assert.True(DocumentFileName.TryValidate(name.Normalize(NormalizationForm.FormD), out var kept));
        Assert.Equal(name.Normalize(NormalizationForm.FormC), kept);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("C:\\Users\\a.pdf")]
    [InlineData("a\u0007b.pdf")]
    [InlineData("a\u202Efdp.exe")]
    [InlineData("..")]
    [InlineData("   ")]
    [InlineData(null)]
    public void FileName_WithPathsOrControls_IsRefused(string? name) => Assert.False(DocumentFileName.TryValidate(name, out _));

    [Fact]
    public void Applicant_Valid_HasNoErrors() =>
        Assert.Empty(new Applicant("Nguyễn Thị Hoa", "001190012345", "+84 912 345 678", "hoa@example.vn", "Phường Nha Trang").Validate());

    [Fact]
    public void Applicant_Invalid_NamesEveryBadField()
    {
        var errors = new Applicant("", "12AB", "phone", "no-at-sign", "line\u0000break").Validate();
        Assert.Equal(["applicant.fullName", "applicant.idNumber", "applicant.phone", "applicant.email", "applicant.address"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Vietnamese) || string.IsNullOrWhiteSpace(e.English)));
    }

    [Theory]
    [InlineData("0101234567-001")]
    [InlineData("123456789")]
    public void Applicant_TaxCodesAndOldIds_AreAccepted(string id) => Assert.Empty(new Applicant("Công ty A", id, null, null, null).Validate());

    [Fact]
    public void DocumentIntake_SecondDelivery_ChangesNothing()
    {
        var first = DocumentIntake.OnDocumentsReceived(DossierStatus.Receiving, 2);
        Assert.Equal(DossierStatus.Registered, first!.To);
        Assert.Null(DocumentIntake.OnDocumentsReceived(first.To, 2));
    }
}
