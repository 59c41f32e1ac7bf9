using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MotCua.FunctionApp.Approvals;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;

namespace MotCua.FunctionApp.Tests;

/// <summary>A phone key is registered with its certificate: for that key, from a trusted authority, valid and not revoked.</summary>
public sealed class DeviceKeyCertificateTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly string _trust = Directory.CreateTempSubdirectory("motcua-trust-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeviceKey_WithATrustedCertificate_IsStoredWithItAndItsIssuers(bool pem)
    {
        var phone = PhoneCertificate();
        await using var app = await StartAsync();

        var text = pem ? phone.ExportCertificatePem() + "\n" + _pki.Intermediate.ExportCertificatePem() : Convert.ToBase64String(phone.RawData);
        using var response = await RegisterAsync(app, phone, text);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(phone.SerialNumber, view.GetProperty("certificate").GetProperty("serialNumber").GetString());
        var stored = await app.Services.GetRequiredService<DeviceKeys>().FindAsync(Users.Chairman.Id, view.GetProperty("keyId").GetString()!, CancellationToken.None);
        Assert.Equal(phone.RawData, stored!.LoadCertificate()!.RawData);
        // The intermediate is found in the trust folder when the phone sends only its own certificate: it is kept either way.
        Assert.Equal([_pki.Intermediate.Thumbprint], stored.LoadCertificateIssuers().Select(c => c.Thumbprint));
    }

    [Fact]
    public async Task DeviceKey_CertificateOfAnotherKey_Is422AndNothingWritten()
    {
        var phone = PhoneCertificate();
        var other = PhoneCertificate();
        await using var app = await StartAsync();

        using var response = await RegisterAsync(app, phone, Convert.ToBase64String(other.RawData));

        await AssertRefusedAsync(app, response, "khóa khác");
    }

    [Fact]
    public async Task DeviceKey_CertificateFromAnUntrustedRoot_Is422AndNothingWritten()
    {
        var phone = PhoneCertificate(issuer: _pki.RogueRoot);
        await using var app = await StartAsync();

        using var response = await RegisterAsync(app, phone, Convert.ToBase64String(phone.RawData));

        await AssertRefusedAsync(app, response, "không do tổ chức chứng thực được tin cậy cấp");
    }

    [Fact]
    public async Task DeviceKey_ExpiredCertificate_Is422AndNothingWritten()
    {
        var phone = PhoneCertificate(notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        await using var app = await StartAsync();

        using var response = await RegisterAsync(app, phone, Convert.ToBase64String(phone.RawData));

        await AssertRefusedAsync(app, response, "hết hạn");
    }

    [Fact]
    public async Task DeviceKey_RevokedCertificate_Is422AndNothingWritten()
    {
        var phone = PhoneCertificate();
        _pki.IssueCrl(_pki.Intermediate, [(phone, DateTimeOffset.UtcNow.AddHours(-1))], DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7));
        await using var app = await StartAsync();

        using var response = await RegisterAsync(app, phone, Convert.ToBase64String(phone.RawData));

        await AssertRefusedAsync(app, response, "thu hồi");
    }

    [Fact]
    public async Task DeviceKey_UnreadableCertificate_Is400()
    {
        var phone = PhoneCertificate();
        await using var app = await StartAsync();

        using var response = await RegisterAsync(app, phone, Convert.ToBase64String("not a certificate"u8));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("certificate", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal((0, 0), await app.CountWrittenAsync());
    }

    [Fact]
    public async Task DeviceKey_WithoutCertificateAndNoDemoAuthority_Is400AndNothingWritten()
    {
        var phone = PhoneCertificate();
        await using var app = await StartAsync();

        using var response = await RegisterAsync(app, phone, certificate: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("certificate", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal((0, 0), await app.CountWrittenAsync());
    }

    [Fact]
    public async Task DeviceKey_WithoutCertificateUnderTheDemoAuthority_GetsOneNamingTheOfficial()
    {
        await using var app = await TestApp.StartAsync(seed: false);
        using var phone = new Phone();

        await phone.RegisterAsync(app, Users.Chairman);

        var stored = await app.Services.GetRequiredService<DeviceKeys>().FindAsync(Users.Chairman.Id, phone.KeyId!, CancellationToken.None);
        using var certificate = stored!.LoadCertificate()!;
        Assert.Equal(phone.PublicKey, Convert.ToBase64String(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        Assert.Equal(TestDemoAuthority.Root.Subject, certificate.Issuer);
        Assert.StartsWith($"CN={Users.Chairman.Name}, ", certificate.Subject);
        Assert.Contains(Users.Chairman.Id, certificate.Subject);
        using var root = TestDemoAuthority.Root.GetECDsaPublicKey()!;
        using var chain = new X509Chain { ChainPolicy = { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck } };
        chain.ChainPolicy.CustomTrustStore.Add(TestDemoAuthority.Root);
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    private async Task<TestApp> StartAsync()
    {
        _pki.WriteTrustFolder(_trust);
        return await TestApp.StartAsync(seed: false, settings: new()
        {
            ["Signatures:TrustFolder"] = _trust,
            // As in production: no demo authority, a certificate is required.
            ["Signing:DemoAuthority:Pkcs12Path"] = "",
        });
    }

    private X509Certificate2 PhoneCertificate(X509Certificate2? issuer = null, DateTimeOffset? notAfter = null) =>
        _pki.IssueSigner("CN=Trần Văn Chủ Tịch, O=MotCua Test, C=VN", DateTimeOffset.UtcNow.AddYears(-2), notAfter ?? DateTimeOffset.UtcNow.AddYears(1),
            TestKeyKind.EcdsaP256, issuer);

    private static Task<HttpResponseMessage> RegisterAsync(TestApp app, X509Certificate2 phone, string? certificate) =>
        app.Http.SendAsync(app.Request(HttpMethod.Post, "/api/me/device-keys", Users.Chairman, JsonContent.Create(new
        {
            deviceName = "iPhone của chủ tịch",
            publicKey = Convert.ToBase64String(phone.PublicKey.ExportSubjectPublicKeyInfo()),
            certificate,
        })));

    private static async Task AssertRefusedAsync(TestApp app, HttpResponseMessage response, string vietnamese)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("https://motcua.vn/problems/device-certificate-refused", problem.GetProperty("type").GetString());
        Assert.Contains(vietnamese, problem.GetProperty("detail").GetString());
        Assert.Equal((0, 0), await app.CountWrittenAsync());
    }

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_trust, recursive: true);
    }
}
