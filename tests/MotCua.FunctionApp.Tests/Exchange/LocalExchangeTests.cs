using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using MotCua.DemoServices;

namespace MotCua.FunctionApp.Tests.Exchange;

/// <summary>The local document exchange over real HTTP: two systems exchange edXML packages and their outcomes.</summary>
public sealed class LocalExchangeTests : IAsyncLifetime, IDisposable
{
    private const string SystemA = "system-a";
    private const string SystemB = "system-b";
    private const string WardA = "000.20.30.H56";
    private const string WardB = "000.21.30.H57";
    private const string DepartmentB = "001.21.30.H57";

    private readonly string _data = Directory.CreateTempSubdirectory("motcua-exchange-").FullName;
    private readonly HttpClient _http = new();
    private WebApplication? _server;
    private Uri _exchange = default!;

    public async Task InitializeAsync() => await StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Edoc_FromAToB_IsListedFetchedAndAcknowledged_AndTheSenderSeesTheOutcome()
    {
        await RegisterBothAsync();
        var agencies = await JsonAsync(await CallAsync(HttpMethod.Get, "agencies", SystemB));
        Assert.Equal([WardA, WardB, DepartmentB], agencies.GetProperty("agencies").EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.Equal(SystemA, agencies.GetProperty("agencies")[0].GetProperty("system").GetString());

        var package = Edoc(WardA, WardB, DepartmentB);
        var docId = await SendAsync(SystemA, "pkg-1", "edoc", package);

        var knobsticks = await ReceivedAsync(SystemB);
        Assert.Equal(2, knobsticks.Count);
        Assert.All(knobsticks, k =>
        {
            Assert.Equal(docId, k.GetProperty("docId").GetString());
            Assert.Equal(WardA, k.GetProperty("from").GetString());
            Assert.Equal("edoc", k.GetProperty("messageType").GetString());
            Assert.Equal("eDoc", k.GetProperty("serviceType").GetString());
            Assert.True(DateTimeOffset.TryParse(k.GetProperty("sentAt").GetString(), out _));
        });
        Assert.Equal([WardB, DepartmentB], knobsticks.Select(k => k.GetProperty("to").GetString()));
        Assert.Empty(await ReceivedAsync(SystemA));

        var toWard = knobsticks[0].GetProperty("id").GetString()!;
        using (var fetched = await CallAsync(HttpMethod.Get, $"edocs/{toWard}", SystemB))
        {
            Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
            Assert.Equal("application/xml", fetched.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Encoding.UTF8.GetBytes(package), await fetched.Content.ReadAsByteArrayAsync());
        }
        await AssertFailAsync(await CallAsync(HttpMethod.Get, $"edocs/{toWard}", SystemA), HttpStatusCode.NotFound, "not-found");
        await AssertFailAsync(await DecideAsync(SystemA, toWard, "done", null), HttpStatusCode.NotFound, "not-found");

        var decided = await JsonAsync(await DecideAsync(SystemB, toWard, "done", "Đã vào sổ văn bản đến"));
        Assert.Equal("done", decided.GetProperty("delivery").GetProperty("outcome").GetString());
        var toDepartment = knobsticks[1].GetProperty("id").GetString()!;
        await JsonAsync(await DecideAsync(SystemB, toDepartment, "fail", "Gửi nhầm đơn vị"));
        // A repeat changes nothing: the first outcome stays.
        var repeated = await JsonAsync(await DecideAsync(SystemB, toWard, "fail", "lần hai"));
        Assert.Equal("done", repeated.GetProperty("delivery").GetProperty("outcome").GetString());
        Assert.Empty(await ReceivedAsync(SystemB));

        var sent = Assert.Single((await JsonAsync(await CallAsync(HttpMethod.Get, "edocs/sent", SystemA))).GetProperty("edocs").EnumerateArray());
        Assert.Equal(docId, sent.GetProperty("docId").GetString());
        Assert.Equal(WardA, sent.GetProperty("from").GetString());
        Assert.Equal("edoc", sent.GetProperty("messageType").GetString());
        var deliveries = sent.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal([(toWard, WardB, "done", "Đã vào sổ văn bản đến"), (toDepartment, DepartmentB, "fail", "Gửi nhầm đơn vị")],
            deliveries.Select(d => (d.GetProperty("id").GetString(), d.GetProperty("to").GetString(), d.GetProperty("outcome").GetString(), d.GetProperty("reason").GetString())));
        Assert.Empty((await JsonAsync(await CallAsync(HttpMethod.Get, "edocs/sent", SystemB))).GetProperty("edocs").EnumerateArray());
    }

    [Fact]
    public async Task StatusPackage_GoesToTheAgencyOfResponseFor()
    {
        await RegisterBothAsync();
        var edoc = await SendAsync(SystemA, "pkg-1", "edoc", Edoc(WardA, WardB));
        var status = await SendAsync(SystemB, "status-1", "status", StatusPackage(WardB, WardA, "03"));
        Assert.NotEqual(edoc, status);

        var received = Assert.Single(await ReceivedAsync(SystemA, "status"));
        Assert.Equal(status, received.GetProperty("docId").GetString());
        Assert.Equal(WardB, received.GetProperty("from").GetString());
        Assert.Equal(WardA, received.GetProperty("to").GetString());
        Assert.Equal("status", received.GetProperty("messageType").GetString());
        Assert.Empty(await ReceivedAsync(SystemA, "edoc"));
        Assert.Single(await ReceivedAsync(SystemA));
        Assert.Equal(edoc, Assert.Single(await ReceivedAsync(SystemB)).GetProperty("docId").GetString());
        await AssertFailAsync(await CallAsync(HttpMethod.Get, "edocs/received?messagetype=fax", SystemA), HttpStatusCode.BadRequest, "invalid-message-type");
    }

    [Fact]
    public async Task SamePackageId_AnswersTheSameDocId_AndStoresNothingNew()
    {
        await RegisterBothAsync();
        var first = await SendAsync(SystemA, "pkg-1", "edoc", Edoc(WardA, WardB));
        var again = await SendAsync(SystemA, "pkg-1", "edoc", Edoc(WardA, WardB));

        Assert.Equal(first, again);
        Assert.Single(await ReceivedAsync(SystemB));
        Assert.Single(Directory.GetFiles(Path.Combine(_data, "packages")));
        Assert.Single((await JsonAsync(await CallAsync(HttpMethod.Get, "edocs/sent", SystemA))).GetProperty("edocs").EnumerateArray());
    }

    [Fact]
    public async Task UnknownRecipient_Is400NamingIt_AndNothingIsStored()
    {
        await RegisterBothAsync();
        var failure = await AssertFailAsync(await SendRawAsync(SystemA, "pkg-1", "edoc", Edoc(WardA, WardB, "000.99.99.Z99")), HttpStatusCode.BadRequest, "unknown-recipient");
        Assert.Contains("000.99.99.Z99", failure.GetProperty("errorDesc").GetString());
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task SenderOfAnotherSystem_Is403()
    {
        await RegisterBothAsync();
        await AssertFailAsync(await SendRawAsync(SystemA, "pkg-1", "edoc", Edoc(WardB, WardA)), HttpStatusCode.Forbidden, "sender-not-of-system");
        await AssertFailAsync(await SendRawAsync(SystemA, "pkg-2", "edoc", Edoc("000.99.99.Z99", WardB)), HttpStatusCode.Forbidden, "sender-not-of-system");
        // Nor may a system take another system's agency over.
        await AssertFailAsync(await RegisterAsync(SystemA, WardB, "Chiếm chỗ", SystemA), HttpStatusCode.Forbidden, "agency-of-another-system");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task WithoutIdentity_EveryOperationIs401()
    {
        await RegisterBothAsync();
        await SendAsync(SystemA, "pkg-1", "edoc", Edoc(WardA, WardB));
        var delivery = Assert.Single(await ReceivedAsync(SystemB)).GetProperty("id").GetString();

        await AssertFailAsync(await CallAsync(HttpMethod.Get, "agencies", system: null), HttpStatusCode.Unauthorized, "missing-identity");
        await AssertFailAsync(await RegisterAsync(null, "000.30.30.H58", "UBND phường C", SystemA), HttpStatusCode.Unauthorized, "missing-identity");
        await AssertFailAsync(await SendRawAsync(null, "pkg-2", "edoc", Edoc(WardA, WardB)), HttpStatusCode.Unauthorized, "missing-identity");
        await AssertFailAsync(await CallAsync(HttpMethod.Get, "edocs/received", system: null), HttpStatusCode.Unauthorized, "missing-identity");
        await AssertFailAsync(await CallAsync(HttpMethod.Get, "edocs/sent", system: null), HttpStatusCode.Unauthorized, "missing-identity");
        await AssertFailAsync(await CallAsync(HttpMethod.Get, $"edocs/{delivery}", system: null), HttpStatusCode.Unauthorized, "missing-identity");
        await AssertFailAsync(await DecideAsync(null, delivery!, "done", null), HttpStatusCode.Unauthorized, "missing-identity");
        Assert.Single(await ReceivedAsync(SystemB));
    }

    [Theory]
    [InlineData("dtd")]
    [InlineData("malformed")]
    [InlineData("no-header")]
    [InlineData("other-namespace")]
    public async Task PackageThatIsNotPlainEdXml_Is400_AndNothingIsStored(string kind)
    {
        await RegisterBothAsync();
        var package = kind switch
        {
            "dtd" => $"""<?xml version="1.0"?><!DOCTYPE edXML:edXMLEnvelope [<!ENTITY id SYSTEM "file:///etc/hostname">]>""" + Edoc(WardA, "&id;"),
            "malformed" => Edoc(WardA, WardB).Replace("</edXML:To>", "", StringComparison.Ordinal),
            "no-header" => """<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXML:edXMLBody/></edXML:edXMLEnvelope>""",
            _ => Edoc(WardA, WardB).Replace(DocumentExchangeState.Namespace, "urn:other", StringComparison.Ordinal),
        };
        var response = await SendRawAsync(SystemA, "pkg-1", "edoc", package);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("FAIL", (await JsonAsync(response, expectOk: false)).GetProperty("status").GetString());
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task BadSendHeaders_Are4xx()
    {
        await RegisterBothAsync();
        await AssertFailAsync(await SendRawAsync(SystemA, "pkg-1", "fax", Edoc(WardA, WardB)), HttpStatusCode.BadRequest, "invalid-message-type");
        await AssertFailAsync(await SendRawAsync(SystemA, new string('x', 129), "edoc", Edoc(WardA, WardB)), HttpStatusCode.BadRequest, "invalid-package-id");
        await AssertFailAsync(await SendRawAsync(SystemA, "pkg-1", "edoc", Edoc(WardA, WardB), "text/plain"), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await AssertFailAsync(await RegisterAsync(SystemA, "000.20.30.h56", "UBND", SystemA), HttpStatusCode.BadRequest, "invalid-agency-id");
        await AssertFailAsync(await RegisterAsync(SystemA, "000.20.30.H99", "UBND", SystemB), HttpStatusCode.Forbidden, "foreign-system");
        await AssertNothingStoredAsync();
    }

    /// <summary>Past Kestrel's default 30 MB request limit: the package is streamed in and out whole.</summary>
    [Fact]
    public async Task LargePackage_IsStoredAndFetchedWhole()
    {
        await RegisterBothAsync();
        var file = Path.Combine(_data, "large.xml");
        var (head, tail) = SplitAtBody(Edoc(WardA, WardB));
        await using (var writer = new StreamWriter(file, append: false, new UTF8Encoding(false)))
        {
            await writer.WriteAsync(head + "<edXML:Attachment><edXML:Value>");
            var chunk = new string('Q', 1024 * 1024);
            for (var i = 0; i < 40; i++) await writer.WriteAsync(chunk);
            await writer.WriteAsync("</edXML:Value></edXML:Attachment>" + tail);
        }
        string docId;
        await using (var upload = File.OpenRead(file))
        {
            var content = new StreamContent(upload);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            docId = (await JsonAsync(await CallAsync(HttpMethod.Post, "edocs", SystemA, content, new()
            {
                [DocumentExchangeEndpoints.MessageTypeHeader] = "edoc",
                [DocumentExchangeEndpoints.PackageIdHeader] = "large-1",
            }))).GetProperty("docId").GetString()!;
        }

        var knobstick = Assert.Single(await ReceivedAsync(SystemB));
        Assert.Equal(docId, knobstick.GetProperty("docId").GetString());
        using var fetched = await CallAsync(HttpMethod.Get, $"edocs/{knobstick.GetProperty("id").GetString()}", SystemB);
        await using var received = await fetched.Content.ReadAsStreamAsync();
        await using var original = File.OpenRead(file);
        Assert.Equal(await SHA256.HashDataAsync(original), await SHA256.HashDataAsync(received));
    }

    [Fact]
    public async Task PackageOverTheLimit_Is413_AndNothingIsStored()
    {
        await _server!.DisposeAsync();
        var state = new DocumentExchangeState(_data, TimeProvider.System) { MaxPackageBytes = 2048 };
        (_server, var address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapDocumentExchange("/exchange", state));
        _exchange = new Uri(address, "exchange/");
        await RegisterBothAsync();
        var (head, tail) = SplitAtBody(Edoc(WardA, WardB));

        await AssertFailAsync(await SendRawAsync(SystemA, "pkg-1", "edoc", head + new string('Q', 4096) + tail), HttpStatusCode.RequestEntityTooLarge, "package-too-large");
        await AssertNothingStoredAsync();
    }

    private static (string Head, string Tail) SplitAtBody(string package)
    {
        var at = package.IndexOf("</edXML:edXMLBody>", StringComparison.Ordinal);
        return (package[..at], package[at..]);
    }

    [Fact]
    public async Task AfterARestartOnTheSameFolder_ThePendingDeliveryIsStillThere()
    {
        await RegisterBothAsync();
        var package = Edoc(WardA, WardB);
        var docId = await SendAsync(SystemA, "pkg-1", "edoc", package);
        await _server!.DisposeAsync();
        _server = null;

        await StartAsync();

        var knobstick = Assert.Single(await ReceivedAsync(SystemB));
        Assert.Equal(docId, knobstick.GetProperty("docId").GetString());
        using var fetched = await CallAsync(HttpMethod.Get, $"edocs/{knobstick.GetProperty("id").GetString()}", SystemB);
        Assert.Equal(package, await fetched.Content.ReadAsStringAsync());
        Assert.Equal(docId, await SendAsync(SystemA, "pkg-1", "edoc", package));
        Assert.Equal(3, (await JsonAsync(await CallAsync(HttpMethod.Get, "agencies", SystemA))).GetProperty("agencies").GetArrayLength());
    }

    [Fact]
    public async Task OverHttpsWithAClientCa_TheSystemIsTheCertificatesCn_AndACallWithoutOneFails()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Trục liên thông thử nghiệm, O=MotCua, C=VN", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        using var client = Issue(ca, SystemA, now);
        using var strangerCa = SelfSigned("CN=Một CA khác", now);
        using var stranger = Issue(strangerCa, SystemA, now);
        using var serverCertificate = SelfSigned("CN=localhost", now);

        await _server!.DisposeAsync();
        _server = null;
        var state = new DocumentExchangeState(Path.Combine(_data, "tls"), TimeProvider.System, X509CertificateLoader.LoadCertificate(ca.RawData));
        (_server, var address) = await LocalServer.StartAsync("https://127.0.0.1:0", a => a.MapDocumentExchange("/exchange", state),
            new LocalTls(serverCertificate, state.AcceptsClientCertificate));
        var exchange = new Uri(address, "exchange/");

        using var withCertificate = Client(client);
        using var register = new HttpRequestMessage(HttpMethod.Post, new Uri(exchange, "agencies")) { Content = JsonContent.Create(new { id = WardA, name = "UBND phường A" }) };
        register.Headers.Add(DocumentExchangeEndpoints.SystemHeader, SystemB);
        var registered = await JsonAsync(await withCertificate.SendAsync(register));
        Assert.Equal(SystemA, registered.GetProperty("agency").GetProperty("system").GetString());
        Assert.Equal(SystemA, Assert.Single(state.Agencies()).System);

        using var withoutCertificate = Client(null);
        await Assert.ThrowsAsync<HttpRequestException>(() => withoutCertificate.GetAsync(new Uri(exchange, "agencies")));
        using var withStrangerCertificate = Client(stranger);
        await Assert.ThrowsAsync<HttpRequestException>(() => withStrangerCertificate.GetAsync(new Uri(exchange, "agencies")));

        static HttpClient Client(X509Certificate2? certificate)
        {
            var handler = new HttpClientHandler
            {
                ClientCertificateOptions = ClientCertificateOption.Manual,
                ServerCertificateCustomValidationCallback = (_, _, _, _) => true,
            };
            if (certificate is not null) handler.ClientCertificates.Add(certificate);
            return new HttpClient(handler);
        }
    }

    private static X509Certificate2 SelfSigned(string subject, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, string commonName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=MotCua, C=VN", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(issuer, now.AddDays(-1), now.AddMonths(6), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private async Task StartAsync()
    {
        var state = new DocumentExchangeState(_data, TimeProvider.System);
        (_server, var address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapDocumentExchange("/exchange", state));
        _exchange = new Uri(address, "exchange/");
    }

    private async Task RegisterBothAsync()
    {
        await JsonAsync(await RegisterAsync(SystemA, WardA, "UBND phường Hưng Bình", SystemA));
        await JsonAsync(await RegisterAsync(SystemB, WardB, "UBND phường Bến Thủy", SystemB));
        await JsonAsync(await RegisterAsync(SystemB, DepartmentB, "Phòng Văn hóa - Xã hội phường Bến Thủy", SystemB));
    }

    private Task<HttpResponseMessage> RegisterAsync(string? caller, string id, string name, string system) =>
        CallAsync(HttpMethod.Post, "agencies", caller, JsonContent.Create(new { id, name, system }));

    private async Task<string> SendAsync(string system, string packageId, string messageType, string package) =>
        (await JsonAsync(await SendRawAsync(system, packageId, messageType, package))).GetProperty("docId").GetString()!;

    private Task<HttpResponseMessage> SendRawAsync(string? system, string packageId, string messageType, string package, string mediaType = "application/xml")
    {
        var content = new StringContent(package, new UTF8Encoding(false), mediaType);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return CallAsync(HttpMethod.Post, "edocs", system, content, new()
        {
            [DocumentExchangeEndpoints.MessageTypeHeader] = messageType,
            [DocumentExchangeEndpoints.PackageIdHeader] = packageId,
        });
    }

    private async Task<List<JsonElement>> ReceivedAsync(string system, string? messageType = null) =>
        [.. (await JsonAsync(await CallAsync(HttpMethod.Get, messageType is null ? "edocs/received" : $"edocs/received?messagetype={messageType}", system)))
            .GetProperty("knobsticks").EnumerateArray()];

    private Task<HttpResponseMessage> DecideAsync(string? system, string deliveryId, string status, string? reason) =>
        CallAsync(HttpMethod.Put, $"edocs/{deliveryId}/status", system, JsonContent.Create(new { status, reason }));

    private async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, string? system, HttpContent? content = null, Dictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_exchange, path)) { Content = content };
        if (system is not null) request.Headers.Add(DocumentExchangeEndpoints.SystemHeader, system);
        foreach (var (name, value) in headers ?? []) request.Headers.Add(name, value);
        return await _http.SendAsync(request);
    }

    private async Task AssertNothingStoredAsync()
    {
        Assert.Empty(Directory.GetFiles(Path.Combine(_data, "packages")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_data, "uploads")));
        Assert.Empty((await JsonAsync(await CallAsync(HttpMethod.Get, "edocs/sent", SystemA))).GetProperty("edocs").EnumerateArray());
        Assert.Empty(await ReceivedAsync(SystemA));
        Assert.Empty(await ReceivedAsync(SystemB));
    }

    private static async Task<JsonElement> AssertFailAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await JsonAsync(response, expectOk: false);
        Assert.Equal("FAIL", body.GetProperty("status").GetString());
        Assert.Equal(errorCode, body.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("errorDesc").GetString()));
        return body;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, bool expectOk = true)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var body = JsonDocument.Parse(text).RootElement.Clone();
            if (expectOk)
            {
                Assert.True(response.IsSuccessStatusCode, text);
                Assert.Equal("OK", body.GetProperty("status").GetString());
            }
            return body;
        }
    }

    private static string Edoc(string from, params string[] to) => $"""
        <edXML:edXMLEnvelope xmlns:edXML="{DocumentExchangeState.Namespace}">
          <edXML:edXMLHeader>
            <edXML:MessageHeader>
              <edXML:From><edXML:OrganId>{from}</edXML:OrganId><edXML:OrganName>Cơ quan gửi</edXML:OrganName></edXML:From>
              {string.Concat(to.Select(t => $"<edXML:To><edXML:OrganId>{t}</edXML:OrganId><edXML:OrganName>Nơi nhận</edXML:OrganName></edXML:To>"))}
              <edXML:Code><edXML:CodeNumber>12</edXML:CodeNumber><edXML:CodeNotation>UBND-VP</edXML:CodeNotation></edXML:Code>
              <edXML:Subject>V/v tổ chức lễ hội đường phố</edXML:Subject>
              <edXML:DocumentId>{from},2025/03/04,12/UBND-VP</edXML:DocumentId>
            </edXML:MessageHeader>
            <edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>{from}</edXML:OrganId><edXML:Timestamp>2025/03/04 08:30:00</edXML:Timestamp></edXML:TraceHeader></edXML:TraceHeaderList>
          </edXML:edXMLHeader>
          <edXML:edXMLBody>
            <edXML:Attachment><edXML:ContentId>cid:1</edXML:ContentId><edXML:Value>{Convert.ToBase64String(Encoding.UTF8.GetBytes("%PDF-1.7 văn bản"))}</edXML:Value></edXML:Attachment>
          </edXML:edXMLBody>
        </edXML:edXMLEnvelope>
        """;

    private static string StatusPackage(string from, string responseFor, string code) => $"""
        <edXML:edXMLEnvelope xmlns:edXML="{DocumentExchangeState.Namespace}">
          <edXML:edXMLHeader>
            <edXML:MessageHeader>
              <edXML:From><edXML:OrganId>{from}</edXML:OrganId></edXML:From>
              <edXML:ResponseFor><edXML:OrganId>{responseFor}</edXML:OrganId><edXML:Code>12/UBND-VP</edXML:Code><edXML:PromulgationDate>2025/03/04</edXML:PromulgationDate><edXML:DocumentId>{responseFor},2025/03/04,12/UBND-VP</edXML:DocumentId></edXML:ResponseFor>
              <edXML:StatusCode>{code}</edXML:StatusCode>
              <edXML:Description>Đã vào sổ văn bản đến</edXML:Description>
              <edXML:Timestamp>2025/03/04 09:00:00</edXML:Timestamp>
            </edXML:MessageHeader>
          </edXML:edXMLHeader>
        </edXML:edXMLEnvelope>
        """;
}
