using System.Net;
using System.Net.Sockets;
using MotCua.DemoServices;
using ExchangeOutboundMessage = MotCua.FunctionApp.Correspondence.Exchange.ExchangeOutboundMessage;
using MotCua.FunctionApp.Tests.Correspondence;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Signing;
using static MotCua.FunctionApp.Tests.Exchange.TwoDeployments;

namespace MotCua.FunctionApp.Tests.Exchange;

/// <summary>A document issued while the exchange is down, by an app that stops before it could send it: sent once when both are back.</summary>
public sealed class ExchangeCrashTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("motcua-exchange-").FullName;

    [Fact]
    public async Task A_letter_issued_while_the_exchange_is_down_by_an_app_that_then_stops_is_sent_once_by_the_next_instance()
    {
        var port = FreePort();
        var state = new DocumentExchangeState(_data, TimeProvider.System);
        state.Register([new ExchangeAgency(Ward, "Ủy ban nhân dân phường Nha Trang", SystemA), new ExchangeAgency(HomeAffairs, "Sở Nội vụ tỉnh Khánh Hòa", SystemB)]);
        using var setup = new OutgoingSetup();
        var settings = new Dictionary<string, string?>
        {
            ["Exchange:Endpoint"] = $"http://127.0.0.1:{port}/exchange/", ["Exchange:SystemId"] = SystemA, ["Queues:Pump:LockDuration"] = "00:00:05",
        };
        var first = await setup.StartAsync(settings);
        using var chairman = await CertifiedPhone.RegisterAsync(first, setup.Pki, Users.Chairman);
        var letter = await OutgoingSetup.IssueAsync(first, chairman, new
        {
            documentType = "Công văn", summary = "V/v báo cáo tình hình tổ chức bộ máy", recipients = new[] { new { agency = HomeAffairs, name = "Sở Nội vụ tỉnh Khánh Hòa" } },
            signer = Users.Chairman.Id, priority = 0, otherRecipients = new[] { "Lưu: VT." },
        });
        Assert.Equal(HttpStatusCode.OK, letter.Status);
        // The package is queued; sending fails while nothing listens. The app stops with it unsent.
        await Eventually.GetAsync(async () => await first.QueuedAsync(ExchangeOutboundMessage.Queue) > 0 ? "" : null, "the package to be queued");
        var waiting = await Eventually.GetAsync(async () => OutgoingFlow.Recipient(await OutgoingFlow.GetAsync(first, letter.Body.GetProperty("id").GetString()!, Users.RecordsClerk),
            HomeAffairs).GetProperty("reason").GetString(), "the sender to be told the package waits");
        Assert.Equal("Chưa gửi được qua trục liên thông (trục chưa phản hồi); hệ thống tự gửi lại.", waiting);
        await first.DisposeAsync();
        Assert.Empty(state.Sent(SystemA, null));

        var (exchange, _) = await LocalServer.StartAsync($"http://127.0.0.1:{port}", a => a.MapDocumentExchange("/exchange", state));
        await using var _ = exchange;
        settings["Storage:Prefix"] = first.Prefix;
        await using var next = await setup.StartAsync(settings);
        var sent = await Eventually.GetAsync(() => Task.FromResult(state.Sent(SystemA, null) is { Count: > 0 } list ? list : null), "the package to reach the exchange", seconds: 90);
        await Eventually.GetAsync(async () => await next.QueuedAsync(ExchangeOutboundMessage.Queue) == 0 ? "" : null, "the outbound queue to drain", seconds: 60);
        Assert.Equal(HomeAffairs, Assert.Single(Assert.Single(sent).Deliveries).To);
        Assert.Single(state.Sent(SystemA, null));
        var told = OutgoingFlow.Recipient(await OutgoingFlow.GetAsync(next, letter.Body.GetProperty("id").GetString()!, Users.RecordsClerk), HomeAffairs);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, told.GetProperty("reason").ValueKind);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
