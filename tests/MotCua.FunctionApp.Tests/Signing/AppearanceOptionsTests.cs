using Microsoft.Extensions.Options;
using MotCua.Signing.Appearance;
using UglyToad.PdfPig.Core;

namespace MotCua.FunctionApp.Tests.Signing;

/// <summary>Appearance settings as the app binds and validates them, and where placements land on real page sizes.</summary>
public sealed class AppearanceOptionsTests
{
    private const string Unit = "000.21.31.H56";
    private static readonly PdfRectangle A4 = new(0, 0, 595, 842);

    private static AppearanceOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOptions<AppearanceOptions>().BindConfiguration(AppearanceOptions.Section).ValidateDataAnnotations();
        return services.BuildServiceProvider().GetRequiredService<IOptions<AppearanceOptions>>().Value;
    }

    [Fact]
    public void Bind_PartialAgencySettings_KeepTheDefaultsOfWhatIsNotSet()
    {
        var options = Bind(new()
        {
            [$"Signing:Agencies:{Unit}:SealImage"] = "Demo/seal.png",
            [$"Signing:Agencies:{Unit}:QrMark:Corner"] = "BottomRight",
            ["Signing:People:demo-chairwoman:SignatureImage"] = "Demo/signature.png",
        });

        var agency = options.Agency(Unit);
        Assert.Equal("Demo/seal.png", agency.SealImage);
        Assert.Equal(PageCorner.BottomRight, agency.QrMark.Corner);
        Assert.Equal(AppearancePlacement.QrMarkDefault().Width, agency.QrMark.Width);
        Assert.Equal(PageCorner.TopRight, agency.CopyStamp.Corner);
        Assert.Equal("Demo/signature.png", options.Person("demo-chairwoman").SignatureImage);
        Assert.Null(options.Agency("000.00.12.H56").SealImage);
        Assert.Null(options.Person("someone-else").SignatureImage);
    }

    [Fact]
    public void Bind_UnitWrittenWithUnderscoresAsEnvironmentVariablesMustBe_IsFoundByItsIdentifier()
    {
        var options = Bind(new() { ["Signing:Agencies:000_21_31_H56:SealImage"] = "Demo/seal.png" });

        Assert.Equal("Demo/seal.png", options.Agency(Unit).SealImage);
    }

    [Fact]
    public void Bind_PersonWrittenWithUnderscoresAsEnvironmentVariablesMustBe_IsFoundByItsIdentifier()
    {
        var options = Bind(new() { ["Signing:People:chairman_001:SignatureImage"] = "Demo/signature.png" });

        Assert.Equal("Demo/signature.png", options.Person("chairman-001").SignatureImage);
        Assert.Null(options.Person("chairman-002").SignatureImage);
    }

    [Theory]
    [InlineData("Signing:Agencies:000.21.31.H56:SealImage", "Demo/no-such-seal.png", "Signing:Agencies:000.21.31.H56:SealImage")]
    [InlineData("Signing:People:u1:SignatureImage", "Demo/../MotCua.FunctionApp.Tests.dll", "Signing:People:u1:SignatureImage")]
    [InlineData("Signing:Agencies:000.21.31.H56:CopyStamp:Width", "0", "Signing:Agencies:000.21.31.H56:CopyStamp")]
    [InlineData("Signing:Agencies:000.21.31.H56:SignatureBlock:PageNumber", "0", "Signing:Agencies:000.21.31.H56:SignatureBlock")]
    [InlineData("Signing:FontDirectory", "/nonexistent", "Signing:FontDirectory")]
    public void Bind_WrongSetting_FailsNamingTheSetting(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [key] = value }));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Resolve_Defaults_BlockOnTheLastPageAboveTheMarginStampAndQrOnTheFirst()
    {
        var pages = new[] { A4, A4, A4 };
        var agency = new AppearanceOptions().Agency(Unit);

        var block = agency.SignatureBlock.Resolve(pages);
        var stamp = agency.CopyStamp.Resolve(pages);
        var qr = agency.QrMark.Resolve(pages);

        Assert.Equal(2, block.PageIndex);
        Assert.Equal(new PdfRectangle(595 - 57 - 200, 71, 595 - 57, 71 + 130), block.Rectangle);
        Assert.Equal(0, stamp.PageIndex);
        Assert.Equal(new PdfRectangle(595 - 28 - 230, 842 - 20 - 16, 595 - 28, 842 - 20), stamp.Rectangle);
        Assert.Equal(0, qr.PageIndex);
        Assert.Equal(new PdfRectangle(28, 14, 28 + 240, 14 + 90), qr.Rectangle);
    }

    [Fact]
    public void Resolve_PageNumberAndShiftedMediaBox_CountFromThatPagesOwnCorner()
    {
        var shifted = new PdfRectangle(100, 50, 100 + 842, 50 + 595); // A4 landscape whose box does not start at 0,0
        var placement = new AppearancePlacement { PageNumber = 2, Corner = PageCorner.TopLeft, Width = 100, Height = 40, HorizontalMargin = 10, VerticalMargin = 20 };

        var resolved = placement.Resolve([A4, shifted, A4]);

        Assert.Equal(1, resolved.PageIndex);
        Assert.Equal(new PdfRectangle(110, 50 + 595 - 20 - 40, 210, 50 + 595 - 20), resolved.Rectangle);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AppearancePlacement { PageNumber = 4 }.Resolve([A4, A4, A4]));
    }

    [Fact]
    public void SigningAuthority_ParseAndFormat_RoundTripsTheCompetenceLine()
    {
        Assert.Equal(new SigningAuthority(SigningAuthorityKind.ByOrder, "Bộ trưởng"), SigningAuthority.Parse("TL. Bộ trưởng"));
        Assert.Equal("TUQ. GIÁM ĐỐC", new SigningAuthority(SigningAuthorityKind.Authorised, "giám đốc").ToString());
        Assert.Equal("KT. CHỦ TỊCH", SigningAuthority.Parse("KT. CHỦ TỊCH").ToString());
        Assert.Throws<FormatException>(() => SigningAuthority.Parse("Chủ tịch"));
    }
}
