using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using MotCua.DemoServices;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Signing.RemoteSigning;

namespace MotCua.FunctionApp.Tests;

/// <summary>A person's signature through a remote signing service, with the app's CSC v2 client against a local CSC service.</summary>
public sealed class RemoteSigningTests : IAsyncLifetime, IDisposable
{
    private const string Token = "access-token-of-nguyen-van-a";
    private const string Pin = "246810";
    private readonly TestPki _pki = TestPki.Create();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CscService _service;
    private WebApplication? _server;
    private Uri _baseUrl = default!;

    public RemoteSigningTests() => _service = new CscService(_time) { SadLifetime = TimeSpan.FromMinutes(5) };

    public async Task InitializeAsync()
    {
        (_server, var address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapCloudSignatureConsortium(_service));
        _baseUrl = new Uri(address, "csc/v2/");
        _service.AddAccessToken(Token, "chairman-001");
    }

    [Theory]
    [InlineData(TestKeyKind.Rsa2048)]
    [InlineData(TestKeyKind.EcdsaP256)]
    public async Task RemoteSigner_ListInfoAuthorizeSignHash_GivesASignatureTheCertificateVerifies(TestKeyKind kind)
    {
        var certificate = AddCredential("cred-1", kind);
        await using var app = await TestApp.StartAsync(seed: false, settings: new() { ["Signing:RemoteSigning:BaseUrl"] = _baseUrl.ToString() });
        var client = app.Services.GetRequiredService<CscClient>();

        Assert.Equal(["cred-1"], await client.ListCredentialsAsync(Token, CancellationToken.None));
        var signer = await CscHashSigner.OpenAsync(client, Token, "cred-1", Pin, otp: null, CancellationToken.None);
        Assert.Equal(certificate.Thumbprint, signer.Certificate.Thumbprint);
        Assert.Equal([_pki.Intermediate.Thumbprint], signer.Chain.Select(c => c.Thumbprint));

        var digest = SHA256.HashData("quyết định phê duyệt"u8);
        var signature = await signer.SignDigestAsync(digest, CancellationToken.None);

        using var rsa = certificate.GetRSAPublicKey();
        using var ecdsa = certificate.GetECDsaPublicKey();
        Assert.True(rsa is not null
            ? rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ecdsa!.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <summary>The other way a person signs: the same PDF signer, the key at the remote-signing service; pdfsig judges the result.</summary>
    [Fact]
    public async Task RemoteSigner_SignsAPdfThatPdfsigFindsValid()
    {
        var certificate = AddCredential("cred-1", TestKeyKind.Rsa2048);
        await using var app = await TestApp.StartAsync(seed: false, settings: new() { ["Signing:RemoteSigning:BaseUrl"] = _baseUrl.ToString() });
        var signer = await CscHashSigner.OpenAsync(app.Services.GetRequiredService<CscClient>(), Token, "cred-1", Pin, otp: null, CancellationToken.None);
        var source = SignedPdfBuilder.CreatePdf(["QUYET DINH", "Cap giay phep xay dung"]);
        var signed = new MemoryStream();

        await MotCua.Signing.PdfSigner.SignAsync(new MemoryStream(source), signer,
            new MotCua.Signing.PdfSignatureRequest { Certificate = signer.Certificate, SigningTime = DateTimeOffset.UtcNow, Reason = "Phê duyệt" },
            timestamps: null, signed, CancellationToken.None);

        var pdfsig = Assert.Single((await Pdfsig.RunAsync(signed.ToArray(), skipCertificateValidation: true)).Signatures);
        Assert.Equal("Signature is Valid.", pdfsig.SignatureValidation);
        Assert.True(pdfsig.TotalDocumentSigned);
        Assert.Contains(certificate.GetNameInfo(X509NameType.SimpleName, false), pdfsig.SignerCommonName);
    }

    [Fact]
    public async Task RemoteSigner_WrongPin_IsRefused()
    {
        AddCredential("cred-1", TestKeyKind.Rsa2048);
        using var http = new HttpClient();
        var signer = await CscHashSigner.OpenAsync(Client(http), Token, "cred-1", "000000", otp: null, CancellationToken.None);

        var refusal = await Assert.ThrowsAsync<RemoteSigningException>(() => signer.SignDigestAsync(SHA256.HashData("x"u8), CancellationToken.None));
        Assert.Equal((400, "invalid_pin"), (refusal.Status, refusal.Error));
    }

    [Fact]
    public async Task RemoteSigner_ExpiredSad_IsRefused()
    {
        AddCredential("cred-1", TestKeyKind.EcdsaP256);
        using var http = new HttpClient();
        var client = Client(http);
        var digest = SHA256.HashData("hồ sơ"u8);
        var sad = await client.AuthorizeAsync(Token, "cred-1", [digest], Pin, otp: null, CancellationToken.None);
        Assert.Equal(300, sad.ExpiresIn);

        _time.Advance(TimeSpan.FromMinutes(5));
        var refusal = await Assert.ThrowsAsync<RemoteSigningException>(() =>
            client.SignHashAsync(Token, "cred-1", sad.Sad, [digest], CscAlgorithms.EcdsaWithSha256, CancellationToken.None));
        Assert.Equal((400, "invalid_request", "SAD expired"), (refusal.Status, refusal.Error, refusal.Description));
    }

    [Fact]
    public async Task RemoteSigner_SadForOneDigest_DoesNotSignAnother()
    {
        AddCredential("cred-1", TestKeyKind.Rsa2048);
        using var http = new HttpClient();
        var client = Client(http);
        var sad = await client.AuthorizeAsync(Token, "cred-1", [SHA256.HashData("the one shown"u8)], Pin, otp: null, CancellationToken.None);

        var refusal = await Assert.ThrowsAsync<RemoteSigningException>(() =>
            client.SignHashAsync(Token, "cred-1", sad.Sad, [SHA256.HashData("another"u8)], CscAlgorithms.RsaEncryption, CancellationToken.None));
        Assert.Equal("invalid_request", refusal.Error);
    }

    [Fact]
    public async Task RemoteSigner_SomeoneElsesToken_SeesNoCredentialAndIsRefused()
    {
        AddCredential("cred-1", TestKeyKind.Rsa2048);
        _service.AddAccessToken("token-of-someone-else", "citizen-001");
        using var http = new HttpClient();
        var client = Client(http);

        Assert.Empty(await client.ListCredentialsAsync("token-of-someone-else", CancellationToken.None));
        var refusal = await Assert.ThrowsAsync<RemoteSigningException>(() => client.GetCredentialInfoAsync("token-of-someone-else", "cred-1", CancellationToken.None));
        Assert.Equal((400, "invalid_request"), (refusal.Status, refusal.Error));
        var unknown = await Assert.ThrowsAsync<RemoteSigningException>(() => client.ListCredentialsAsync("no-such-token", CancellationToken.None));
        Assert.Equal((401, "invalid_token"), (unknown.Status, unknown.Error));
    }

    [Fact]
    public async Task LocalService_AnswersErrorsAsTheSpecifiedJson()
    {
        using var http = new HttpClient { BaseAddress = _baseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "credentials/authorize") { Content = JsonContent.Create(new { numSignatures = 1 }) };
        request.Headers.Authorization = new("Bearer", Token);
        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<CscError>();
        Assert.Equal(new CscError("invalid_request", "Missing (or invalid type) string parameter credentialID"), error);
    }

    private CscClient Client(HttpClient http) => new(http, new RemoteSigningOptions { BaseUrl = _baseUrl });

    private X509Certificate2 AddCredential(string id, TestKeyKind kind)
    {
        var certificate = _pki.IssueSigner("CN=Nguyễn Văn A, O=MotCua Test, C=VN", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), kind);
        _service.AddCredential("chairman-001", id, certificate, [_pki.Intermediate], Pin);
        return certificate;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    public void Dispose() => _pki.Dispose();
}
