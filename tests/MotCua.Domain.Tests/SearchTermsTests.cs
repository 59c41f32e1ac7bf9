using MotCua.Domain.Search;
using Xunit;

namespace MotCua.Domain.Tests;

public class SearchTermsTests
{
    [Fact]
    public void Words_are_folded_so_plain_queries_find_accented_text()
    {
        var terms = SearchTerms.Of("Bà NGUYỄN Thị Hoa, Phường Điện Biên.");
        Assert.Equal(["ba", "nguyen", "thi", "hoa", "phuong", "dien", "bien"], terms);
        Assert.True(SearchTerms.Of("nguyen thi").All(terms.Contains));
    }

    [Fact]
    public void Decomposed_input_folds_like_composed_input() =>
        Assert.Equal(SearchTerms.Of("Nguyễn"), SearchTerms.Of("Nguye\u0302\u0303n"));

    [Fact]
    public void Codes_and_dates_stay_whole_and_also_yield_their_parts()
    {
        var terms = SearchTerms.Of("Hồ sơ 000.20.30.H56-261122-0001 ngày 12/3/2024.");
        Assert.Contains("000.20.30.h56-261122-0001", terms);
        Assert.Contains("h56", terms);
        Assert.Contains("0001", terms);
        Assert.Contains("12/3/2024", terms);
        Assert.Contains("3", terms);
        Assert.DoesNotContain("2024.", terms);
    }

    [Fact]
    public void Single_letters_are_dropped_but_single_digits_kept()
    {
        var terms = SearchTerms.Of("ở a 5 tầng");
        Assert.Equal(["5", "tang"], terms);
    }

    [Fact]
    public void Empty_text_has_no_terms_and_the_count_is_bounded()
    {
        Assert.Empty(SearchTerms.Of("   "));
        Assert.Equal(3, SearchTerms.Of("mot hai ba bon nam sau", maxTerms: 3).Count);
    }
}
