using System.Net;
using Microsoft.AspNetCore.Builder;
using MotCua.DemoServices;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using static MotCua.FunctionApp.Tests.Correspondence.OutgoingFlow;

namespace MotCua.FunctionApp.Tests.Correspondence;

/// <summary>The signer's other way: a credential at a remote-signing service (a local server following the CSC API v2), authorized by its PIN.</summary>
public sealed class OutgoingRemoteSigningTests : IAsyncLifetime
{
    private const string Token = "access-token-of-le-van-hung";
    private const string Pin = "135790";
    private readonly OutgoingSetup _setup = new();
    private readonly CscService _service = new(TimeProvider.System);
    private WebApplication _server = default!;
    private TestApp _app = default!;

    public async Task InitializeAsync()
    {
        (_server, var address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapCloudSignatureConsortium(_service));
        _service.AddAccessToken(Token, Users.Chairman.Id);
        var certificate = _setup.Pki.IssueSigner("CN=Lê Văn Hùng, O=UBND phường Nha Trang, C=VN", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1),
            TestKeyKind.Rsa2048);
        _service.AddCredential(Users.Chairman.Id, "chu-tich-phuong", certificate, [_setup.Pki.Intermediate], Pin);
        _app = await _setup.StartAsync(new() { ["Signing:RemoteSigning:BaseUrl"] = new Uri(address, "csc/v2/").ToString() });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _server.DisposeAsync();
        _setup.Dispose();
    }

    [Fact]
    public async Task The_chairman_signs_through_the_remote_signing_service_and_a_wrong_pin_signs_nothing()
    {
        var drafted = await DraftAsync(_app, Letter());
        var id = drafted.Body.GetProperty("id").GetString()!;
        var put = await PutDocumentAsync(_app, id, Users.Officer, Pdf(), drafted.ETag);
        var submitted = await StepAsync(_app, id, "submission", Users.Officer, null, put.ETag);
        var passed = await StepAsync(_app, id, "review", Users.DepartmentHead, new { decision = "pass" }, submitted.ETag);

        var wrongPin = await StepAsync(_app, id, "approval", Users.Chairman,
            new { decision = "sign", remote = new { accessToken = Token, credentialId = "chu-tich-phuong", pin = "000000" } }, passed.ETag);
        Assert.Equal(HttpStatusCode.Forbidden, wrongPin.Status);
        var unchanged = await GetAsync(_app, id, Users.Officer);
        Assert.Equal(("awaiting-signature", passed.Body.GetProperty("version").GetInt32()),
            (unchanged.Body.GetProperty("status").GetProperty("code").GetString(), unchanged.Body.GetProperty("version").GetInt32()));

        var signed = await StepAsync(_app, id, "approval", Users.Chairman,
            new { decision = "sign", remote = new { accessToken = Token, credentialId = "chu-tich-phuong", pin = Pin } }, passed.ETag);
        Assert.Equal(HttpStatusCode.OK, signed.Status);
        Assert.Equal("TM. ỦY BAN NHÂN DÂN", signed.Body.GetProperty("signed").GetProperty("signingAuthority").GetString());
        await StepAsync(_app, id, "issue", Users.RecordsClerk, null, signed.ETag);
        await IssuedAsync(_app, id);

        using var download = await _app.Http.SendAsync(_app.Request(HttpMethod.Get, $"/api/outgoing/{id}/file", Users.Officer));
        var pdf = await download.Content.ReadAsByteArrayAsync();
        var pdfsig = await Pdfsig.RunAsync(pdf, skipCertificateValidation: true);
        Assert.Equal(2, pdfsig.Signatures.Count);
        Assert.All(pdfsig.Signatures, s => Assert.Equal("Signature is Valid.", s.SignatureValidation));
        Assert.Equal(("Lê Văn Hùng", "UBND phường Nha Trang"), (pdfsig.Signatures[0].SignerCommonName, pdfsig.Signatures[1].SignerCommonName));
        Assert.True(pdfsig.Signatures[1].TotalDocumentSigned);
        Assert.Matches(@"Số:\s+01\s?/UBND-VHXH", await Tools.PdfTextAsync(pdf));
    }
}
