using MotCua.Domain.Dossiers;
using Xunit;

namespace MotCua.Domain.Tests;

public sealed class DossierCodeTests
{
    [Fact]
    public void Format_UnitDateAndSequence_MatchesTheNationalPattern() =>
        Assert.Equal("000.00.12.H56-250714-0001", new DossierCode("000.00.12.H56", new DateOnly(2025, 7, 14), 1).ToString());

    [Theory]
    [InlineData("000.00.12.H56-250714-0001", "000.00.12.H56", 2025, 7, 14, 1)]
    [InlineData("H56-261231-12345", "H56", 2026, 12, 31, 12345)]
    // The 35-character form of QCVN 102's 2022 amendment.
    [InlineData("G12.01.000.000.000.000.000.000.H56-261202-0007", "G12.01.000.000.000.000.000.000.H56", 2026, 12, 2, 7)]
    public void Parse_WellFormed_RoundTrips(string text, string agency, int year, int month, int day, int sequence)
    {
        Assert.True(DossierCode.TryParse(text, out var code));
        Assert.Equal(new DossierCode(agency, new DateOnly(year, month, day), sequence), code);
        Assert.Equal(text, code.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("000.00.12.H56")]
    [InlineData("000.00.12.H56-250714")]
    [InlineData("000.00.12.H56-251314-0001")]
    [InlineData("000.00.12.H56-250714-01")]
    [InlineData("000.00.12.H56-250714-0000")]
    [InlineData("000.00.12.H56-250714-00a1")]
    [InlineData("000000000000000000000000000000000000-250714-0001")]
    [InlineData("000/00-250714-0001")]
    [InlineData("-250714-0001")]
    public void Parse_Malformed_IsRefused(string text) => Assert.False(DossierCode.TryParse(text, out _));

    [Fact]
    public void Department_IsALevelFourIdentifierInsideItsAgency()
    {
        Assert.Equal("001.20.30.H56", Units.AgencyCodes.Department("000.20.30.H56", 1));
        Assert.Throws<ArgumentException>(() => Units.AgencyCodes.Department("001.20.30.H56", 2));
    }

    [Fact]
    public void Today_InVietnam_IsTheDateAtUtcPlusSeven()
    {
        var lateEveningUtc = new DateTimeOffset(2026, 11, 22, 18, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 11, 23), VietnamTime.Today(lateEveningUtc));
    }
}
