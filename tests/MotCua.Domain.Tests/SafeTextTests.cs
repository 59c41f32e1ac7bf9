using System.Text;
using MotCua.Domain.Documents;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using Xunit;

namespace MotCua.Domain.Tests;

public sealed class SafeTextTests
{
    public static TheoryData<string, int, UnsafeKind> Refused => new()
    {
        { "Số 1\uFFFE đường", 0xFFFE, UnsafeKind.Noncharacter },
        { "a\uFFFF", 0xFFFF, UnsafeKind.Noncharacter },
        { "a\uFDD0", 0xFDD0, UnsafeKind.Noncharacter },
        { "a\uFDEF", 0xFDEF, UnsafeKind.Noncharacter },
        { "a\U0001FFFE", 0x1FFFE, UnsafeKind.Noncharacter },
        { "a\U0010FFFF", 0x10FFFF, UnsafeKind.Noncharacter },
        { "a\u0000", 0x0, UnsafeKind.Control },
        { "a\u0007", 0x7, UnsafeKind.Control },
        { "a\tb", 0x9, UnsafeKind.Control },
        { "a\u0085", 0x85, UnsafeKind.Control },
        { "a\u007F", 0x7F, UnsafeKind.Control },
        { "a\u202Efdp.exe", 0x202E, UnsafeKind.Invisible },
        { "a\u202A", 0x202A, UnsafeKind.Invisible },
        { "a\u2066", 0x2066, UnsafeKind.Invisible },
        { "a\u2069", 0x2069, UnsafeKind.Invisible },
        { "a\u200E", 0x200E, UnsafeKind.Invisible },
        { "a\u200F", 0x200F, UnsafeKind.Invisible },
        { "a\u200B", 0x200B, UnsafeKind.Invisible },
        { "a\u200D", 0x200D, UnsafeKind.Invisible },
        { "a\u2060", 0x2060, UnsafeKind.Invisible },
        { "\uFEFFa", 0xFEFF, UnsafeKind.Invisible },
        { "a\u2028b", 0x2028, UnsafeKind.LineBreak },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void FindUnsafe_RefusedCharacter_IsFoundWithItsKind(string text, int codePoint, UnsafeKind kind)
    {
        foreach (var lineBreaks in new[] { LineBreaks.Refused, LineBreaks.Allowed })
        {
            var found = SafeText.FindUnsafe(text, lineBreaks);
            Assert.NotNull(found);
            Assert.Equal(codePoint, found.CodePoint);
            Assert.Equal(kind, found.Kind);
        }
    }

    /// <summary>Built in code: test-case serialisation would turn a lone surrogate into U+FFFD.</summary>
    [Fact]
    public void LoneSurrogates_AreFound_RefusedInFileNames_AndFoldAsSpaces()
    {
        var high = string.Concat("Số", (char)0xD800, " 1 đường");
        var low = string.Concat("a", (char)0xDC00);
        var reversedPair = string.Concat("a", (char)0xDC00, (char)0xD800, "b");
        Assert.Equal(new UnsafeCharacter(2, 0xD800, UnsafeKind.LoneSurrogate), SafeText.FindUnsafe(high, LineBreaks.Allowed));
        Assert.Equal(new UnsafeCharacter(1, 0xDC00, UnsafeKind.LoneSurrogate), SafeText.FindUnsafe(low, LineBreaks.Refused));
        Assert.Equal(UnsafeKind.LoneSurrogate, SafeText.FindUnsafe(reversedPair, LineBreaks.Refused)?.Kind);
        Assert.False(DocumentFileName.TryValidate(string.Concat("a", (char)0xD800, ".pdf"), out _));
        Assert.Equal("so 1 duong", VietnameseText.Fold(high));
        Assert.Equal("a\uFFFD\uFFFDb", SafeText.ForDisplay(reversedPair));
    }

    [Theory]
    [InlineData("Nguyễn Thị Hoà, số 12/3 đường Điện Biên Phủ")]
    [InlineData("ĐĂNG KÝ KẾT HÔN — “bản sao” (2 trang)")]
    [InlineData("😀 hồ sơ")]
    public void FindUnsafe_VietnameseText_PassesComposedAndDecomposed(string text)
    {
        Assert.Null(SafeText.FindUnsafe(text, LineBreaks.Refused));
        Assert.Null(SafeText.FindUnsafe(text.Normalize(NormalizationForm.FormD), LineBreaks.Refused));
    }

    [Theory]
    [InlineData("Thiếu bản sao.\nBổ sung giấy tờ.")]
    [InlineData("Dòng một\r\nDòng hai")]
    public void FindUnsafe_LineBreaks_PassOnlyWhereAllowed(string text)
    {
        Assert.Null(SafeText.FindUnsafe(text, LineBreaks.Allowed));
        Assert.Equal(UnsafeKind.LineBreak, SafeText.FindUnsafe(text, LineBreaks.Refused)?.Kind);
    }

    [Fact]
    public void FindUnsafe_CarriageReturnWithoutLineFeed_IsRefusedEvenWhereBreaksAreAllowed() =>
        Assert.Equal(UnsafeKind.LineBreak, SafeText.FindUnsafe("a\rb", LineBreaks.Allowed)?.Kind);

    [Fact]
    public void Check_RefusedCharacter_NamesTheFieldInBothLanguages()
    {
        var error = SafeText.Check("applicant.address", "Số 1\uFFFE");
        Assert.NotNull(error);
        Assert.Equal("applicant.address", error.Field);
        Assert.Contains("'applicant.address'", error.Vietnamese, StringComparison.Ordinal);
        Assert.Contains("U+FFFE", error.Vietnamese, StringComparison.Ordinal);
        Assert.Contains("'applicant.address'", error.English, StringComparison.Ordinal);
        Assert.Contains("U+FFFE", error.English, StringComparison.Ordinal);
        Assert.Null(SafeText.Check("applicant.address", null));
        Assert.Null(SafeText.Check("applicant.address", "Phường Điện Biên"));
    }

    [Fact]
    public void ForDisplay_StoredBadCharacters_AreReplacedAndNormalizable()
    {
        var shown = SafeText.ForDisplay("Số\uFFFE 1 đường\u202E\u200B\nhai\r\nba\u0007");
        Assert.Equal("Số\uFFFD 1 đường\uFFFD\uFFFD\nhai\r\nba\uFFFD", shown);
        Assert.Null(SafeText.FindUnsafe(shown, LineBreaks.Allowed));
        Assert.Equal(shown.Normalize(NormalizationForm.FormC), shown.Normalize(NormalizationForm.FormC));
    }

    [Fact]
    public void ForDisplay_CleanText_IsTheSameInstance()
    {
        var text = "Nguyễn Thị Hoa";
        Assert.Same(text, SafeText.ForDisplay(text));
    }

    [Theory]
    [InlineData("Số 1\uFFFE đường", "so 1 duong")]
    public void Fold_StoredBadCharacters_FoldAsSpaces(string text, string folded) => Assert.Equal(folded, VietnameseText.Fold(text));

    [Theory]
    [InlineData("Hồ sơ\uFFFE.pdf")]
    [InlineData("a\u200B.pdf")]
    [InlineData("a\u2066b.pdf")]
    [InlineData("a\nb.pdf")]
    public void FileName_WithRefusedCharacter_IsRefused(string name) => Assert.False(DocumentFileName.TryValidate(name, out _));

    [Theory]
    [InlineData("Nguyễn Văn A", "Số 1\uFFFE đường", "applicant.address")]
    [InlineData("Nguyễn\u202EVăn A", null, "applicant.fullName")]
    [InlineData("Nguyễn Văn A", "Hà Nội\nViệt Nam", "applicant.address")]
    public void Applicant_WithRefusedCharacter_NamesTheField(string name, string? address, string field)
    {
        var errors = new Applicant(name, "001234567890", null, null, address).Validate();
        Assert.Contains(errors, e => e.Field == field && e.English.Contains("U+", StringComparison.Ordinal));
    }

    [Fact]
    public void Applicant_EmailWithNoncharacter_IsRefused() =>
        Assert.Contains(new Applicant("Nguyễn Văn A", "001234567890", null, "a\uFFFE@b.vn", null).Validate(), e => e.Field == "applicant.email");
}
