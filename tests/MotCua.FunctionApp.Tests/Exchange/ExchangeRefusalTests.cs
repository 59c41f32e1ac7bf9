using System.Security.Cryptography.X509Certificates;
using System.Text;
using MotCua.FunctionApp.Correspondence.Exchange.Edxml;
using MotCua.FunctionApp.Tests.Correspondence;
using MotCua.FunctionApp.Tests.Infrastructure;
using static MotCua.FunctionApp.Tests.Exchange.TwoDeployments;

namespace MotCua.FunctionApp.Tests.Exchange;

/// <summary>
/// Packages that must not be taken in, sent through the exchange to the second deployment: each is
/// refused in the fetch's outcome with its reason, and nothing of it is written there.
/// </summary>
public sealed class ExchangeRefusalTests
{
    [Fact]
    public async Task Untrusted_and_changed_packages_and_a_status_for_a_document_never_sent_are_refused_with_a_reason_and_nothing_is_written()
    {
        await using var both = await TwoDeployments.StartAsync();
        var rogue = both.Setup.Pki.IssueSigner("CN=Kẻ mạo danh, O=Không rõ, C=VN", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1),
            issuer: both.Setup.Pki.RogueRoot);
        var seal = both.Setup.Pki.IssueSigner("CN=UBND phường Nha Trang, O=UBND phường Nha Trang, C=VN", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var letter = EdxmlPackages.Letter() with { Header = EdxmlPackages.Letter().Header with { From = new EdxmlOrgan(Ward, "Ủy ban nhân dân phường Nha Trang"), To = [new EdxmlOrgan(HomeAffairs, "Sở Nội vụ tỉnh Khánh Hòa")] } };

        var untrusted = await SendAsync(both, "untrusted", "edoc", await EdxmlPackages.WriteAsync(letter, rogue));
        var changed = Encoding.UTF8.GetString(await EdxmlPackages.WriteAsync(letter, seal)).Replace("Ngày hội Đại đoàn kết", "Ngày hội khác", StringComparison.Ordinal);
        var broken = await SendAsync(both, "broken", "edoc", Encoding.UTF8.GetBytes(changed));
        var notAddressed = await SendAsync(both, "not-addressed", "edoc", await EdxmlPackages.WriteAsync(letter with
        {
            Header = letter.Header with { To = [new EdxmlOrgan(DemoDataIds.CamLam, "Ủy ban nhân dân xã Cam Lâm"), new EdxmlOrgan(HomeAffairs, "Sở Nội vụ")] },
        }, seal));
        var neverSent = await SendAsync(both, "never-sent", "status", EdxmlPackages.Status(new EdxmlStatusPackage(new EdxmlOrgan(Ward, "Ủy ban nhân dân phường Nha Trang"),
            new EdxmlResponseFor(HomeAffairs, "9/SNV-TCBC", new DateOnly(2026, 11, 30), $"{HomeAffairs},2026/11/30,9/SNV-TCBC"), "03", null, DateTimeOffset.UtcNow, null), seal));

        Assert.Contains("không được tin cậy", await OutcomeAsync(both, untrusted));
        Assert.Contains("đã bị thay đổi", await OutcomeAsync(both, broken));
        Assert.Contains("không do cơ quan", await OutcomeAsync(both, neverSent));
        // A package addressed to Cam Lâm as well is taken in at B once; the copy for Cam Lâm is for its own system.
        Assert.Equal("done", await OutcomeAsync(both, notAddressed, HomeAffairs));
        var list = await IncomingFlow.GetJsonAsync(both.B, $"/api/agencies/{HomeAffairs}/incoming?list=awaiting-registration", NeighbourClerk);
        Assert.Equal(1, list.Body.GetProperty("items").GetArrayLength());
    }

    private static Task<string> SendAsync(TwoDeployments both, string packageId, string messageType, byte[] package) =>
        both.SendRawAsync(packageId, messageType, package);

    /// <summary>The outcome B reported for the package's delivery to it: the reason of a refusal, or "done".</summary>
    private static Task<string> OutcomeAsync(TwoDeployments both, string docId, string to = HomeAffairs) => Eventually.GetAsync(() =>
    {
        var delivery = both.Exchange.Sent(SystemA, null).Single(s => s.DocId == docId).Deliveries.Single(d => d.To == to);
        return Task.FromResult(delivery.Outcome == "pending" ? null : delivery.Outcome == "fail" ? delivery.Reason : delivery.Outcome);
    }, $"B's outcome for {docId}");

    private static class DemoDataIds
    {
        public const string CamLam = MotCua.FunctionApp.Demo.DemoData.CamLamCommune;
    }
}
