using MotCua.DemoServices;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Tests.Correspondence;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests.Exchange;

/// <summary>
/// Two MotCua deployments on one machine (two storage prefixes on the shared Azurite, two apps), each
/// serving its agencies, and the local document exchange between them: the ward on A, the province's
/// Department of Home Affairs on B. They sign with seals of one test PKI that both trust.
/// </summary>
public sealed class TwoDeployments : IAsyncDisposable
{
    public const string SystemA = "motcua-nha-trang";
    public const string SystemB = "motcua-so-noi-vu";
    public const string Ward = DemoData.NhaTrangWard;
    public const string HomeAffairs = DemoData.HomeAffairsDepartment;

    public static readonly Auth.CurrentUser NeighbourClerk = DemoData.NeighbourUsers.Single(u => u.Id == "records-clerk-101");
    public static readonly Auth.CurrentUser NeighbourLeader = DemoData.NeighbourUsers.Single(u => u.Id == "leader-101");
    public static readonly Auth.CurrentUser NeighbourHead = DemoData.NeighbourUsers.Single(u => u.Id == "department-head-101");
    public static readonly Auth.CurrentUser NeighbourOfficer = DemoData.NeighbourUsers.Single(u => u.Id == "officer-101");

    private readonly string _data = Directory.CreateTempSubdirectory("motcua-exchange-").FullName;
    private WebApplication _exchange = default!;

    public OutgoingSetup Setup { get; } = new();
    public DocumentExchangeState Exchange { get; private set; } = default!;
    public Uri ExchangeAddress { get; private set; } = default!;
    public TestApp A { get; private set; } = default!;
    public TestApp B { get; private set; } = default!;

    public static async Task<TwoDeployments> StartAsync()
    {
        var both = new TwoDeployments();
        both.Exchange = new DocumentExchangeState(both._data, TimeProvider.System);
        both.Exchange.Register([
            new ExchangeAgency(Ward, "Ủy ban nhân dân phường Nha Trang", SystemA),
            new ExchangeAgency(DemoData.CamLamCommune, "Ủy ban nhân dân xã Cam Lâm", SystemA),
            new ExchangeAgency(HomeAffairs, "Sở Nội vụ tỉnh Khánh Hòa", SystemB),
        ]);
        (both._exchange, var address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapDocumentExchange("/exchange", both.Exchange));
        both.ExchangeAddress = new Uri(address, "exchange/");
        both.A = await both.Setup.StartAsync(new() { ["Exchange:Endpoint"] = both.ExchangeAddress.AbsoluteUri, ["Exchange:SystemId"] = SystemA });
        both.B = await both.Setup.StartAsync(new()
        {
            ["Exchange:Endpoint"] = both.ExchangeAddress.AbsoluteUri, ["Exchange:SystemId"] = SystemB, ["Demo:Profile"] = "neighbour",
        });
        return both;
    }

    /// <summary>Puts a package on the exchange as A's system would, bypassing A: for packages A would never write.</summary>
    public async Task<string> SendRawAsync(string packageId, string messageType, byte[] package)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ExchangeAddress, "edocs"));
        request.Headers.Add("X-Exchange-System", SystemA);
        request.Headers.Add("X-Exchange-MessageType", messageType);
        request.Headers.Add("X-Exchange-PackageId", packageId);
        request.Content = new ByteArrayContent(package);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("docId").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await _exchange.DisposeAsync();
        Setup.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
