using System.Text;
using MotCua.Domain.Text;
using Xunit;

namespace MotCua.Domain.Tests;

public sealed class VietnameseTextTests
{
    [Theory]
    [InlineData("Phường Điện Biên", "phuong dien bien")]
    [InlineData("Nguyễn Thị Hoa", "nguyen thi hoa")]
    [InlineData("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon")]
    [InlineData("  Ủy   ban\tnhân dân  ", "uy ban nhan dan")]
    [InlineData("Hồ sơ số 12", "ho so so 12")]
    public void Fold_VietnameseText_DropsDiacriticsAndCase(string text, string folded) =>
        Assert.Equal(folded, VietnameseText.Fold(text));

    [Fact]
    public void Fold_DecomposedAndComposedInput_FoldAlike()
    {
        var composed = "Nguyễn";
        var decomposed = composed.Normalize(NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);
        Assert.Equal(VietnameseText.Fold(composed), VietnameseText.Fold(decomposed));
    }

    [Fact]
    public void Normalize_DecomposedInput_IsStoredComposed()
    {
        var decomposed = "Trần Văn Minh".Normalize(NormalizationForm.FormD);
        Assert.Equal("Trần Văn Minh", VietnameseText.Normalize(decomposed));
        Assert.True(VietnameseText.Normalize(decomposed).IsNormalized(NormalizationForm.FormC));
    }
}
