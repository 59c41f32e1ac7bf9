using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using MotCua.DemoServices;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Signing;
using MotCua.Signing.Timestamps;

namespace MotCua.FunctionApp.Tests;

/// <summary>The app's RFC 3161 client against the local time-stamping authority (and against one that misbehaves).</summary>
public sealed class TimestampClientTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly byte[] _digest = SHA256.HashData("chữ ký của hồ sơ"u8);

    [Fact]
    public async Task Timestamp_FromTheLocalAuthority_CoversTheDigestAndIsSignedByTheAuthority()
    {
        var responder = new TimestampResponder(_pki.Tsa, [_pki.Intermediate], TimeProvider.System);
        var (tsa, address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapTimestampAuthority("/tsa", responder));
        await using var _ = tsa;
        await using var app = await TestApp.StartAsync(seed: false, settings: new() { ["Signing:Timestamp:Url"] = address + "tsa" });

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var encoded = await app.Services.GetRequiredService<ITimestampAuthority>().TimestampAsync(_digest, CancellationToken.None);

        Assert.True(Rfc3161TimestampToken.TryDecode(encoded, out var token, out var read));
        Assert.Equal(encoded.Length, read);
        Assert.Equal(_digest, token!.TokenInfo.GetMessageHash().ToArray());
        Assert.Equal(TimestampResponder.PolicyOid, token.TokenInfo.PolicyId.Value);
        Assert.InRange(token.TokenInfo.Timestamp, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(token.VerifySignatureForHash(_digest, HashAlgorithmName.SHA256, out var signer, extraCandidates: null));
        Assert.Equal(_pki.Tsa.Thumbprint, signer!.Thumbprint);
    }

    [Fact]
    public async Task Timestamp_AuthorityNotListening_IsUnavailable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient();
        var client = new HttpTimestampAuthority(http, new TimestampAuthorityOptions { Url = new Uri($"http://127.0.0.1:{port}/tsa") });

        await Assert.ThrowsAsync<TimestampUnavailableException>(() => client.TimestampAsync(_digest, CancellationToken.None));
    }

    [Fact]
    public async Task Timestamp_ReplayedReply_IsRefusedForItsNonce()
    {
        // An authority (or someone in between) that answers every query with the first reply it gave.
        var responder = new TimestampResponder(_pki.Tsa, [], TimeProvider.System);
        byte[]? first = null;
        var (tsa, address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapPost("/tsa", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            first ??= responder.Respond(body.ToArray());
            return Results.Bytes(first, TimestampEndpoints.ReplyMediaType);
        }));
        await using var _ = tsa;
        using var http = new HttpClient();
        var client = new HttpTimestampAuthority(http, new TimestampAuthorityOptions { Url = new Uri(address, "tsa") });

        await client.TimestampAsync(_digest, CancellationToken.None);
        var refusal = await Assert.ThrowsAsync<TimestampUnavailableException>(() => client.TimestampAsync(_digest, CancellationToken.None));
        Assert.IsType<CryptographicException>(refusal.InnerException);
    }

    [Fact]
    public async Task Timestamp_TokenForAnotherDigest_IsRefused()
    {
        var responder = new TimestampResponder(_pki.Tsa, [], TimeProvider.System);
        var other = SHA256.HashData("another document"u8);
        var (tsa, address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapPost("/tsa", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            // Same nonce, other imprint: only the imprint check can catch it.
            Assert.True(Rfc3161TimestampRequest.TryDecode(body.ToArray(), out var asked, out var _));
            var swapped = Rfc3161TimestampRequest.CreateFromHash(other, HashAlgorithmName.SHA256, nonce: asked!.GetNonce()!.Value, requestSignerCertificates: true);
            return Results.Bytes(responder.Respond(swapped.Encode()), TimestampEndpoints.ReplyMediaType);
        }));
        await using var _ = tsa;
        using var http = new HttpClient();
        var client = new HttpTimestampAuthority(http, new TimestampAuthorityOptions { Url = new Uri(address, "tsa") });

        await Assert.ThrowsAsync<TimestampUnavailableException>(() => client.TimestampAsync(_digest, CancellationToken.None));
    }

    [Fact]
    public async Task Timestamp_AuthorityAnsweringAnError_IsUnavailable()
    {
        var (tsa, address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapPost("/tsa", () => Results.StatusCode(503)));
        await using var _ = tsa;
        using var http = new HttpClient();
        var client = new HttpTimestampAuthority(http, new TimestampAuthorityOptions { Url = new Uri(address, "tsa") });

        var refusal = await Assert.ThrowsAsync<TimestampUnavailableException>(() => client.TimestampAsync(_digest, CancellationToken.None));
        Assert.Contains("503", refusal.Message);
    }

    [Fact]
    public async Task LocalAuthority_FollowsRfc3161OverHttp()
    {
        var responder = new TimestampResponder(_pki.Tsa, [], TimeProvider.System);
        var (tsa, address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapTimestampAuthority("/tsa", responder));
        await using var _ = tsa;
        using var http = new HttpClient { BaseAddress = address };

        using var wrongType = await http.PostAsync("tsa", new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/octet-stream") } });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);

        using var garbage = await http.PostAsync("tsa", new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new(TimestampEndpoints.QueryMediaType) } });
        Assert.Equal(TimestampEndpoints.ReplyMediaType, garbage.Content.Headers.ContentType?.MediaType);
        // PKIStatus rejection (2) with failInfo badDataFormat, and no token.
        var reply = new System.Formats.Asn1.AsnReader(await garbage.Content.ReadAsByteArrayAsync(), System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var status = reply.ReadSequence();
        Assert.Equal(2, (int)status.ReadInteger());
        Assert.False(reply.HasData);
    }

    public void Dispose() => _pki.Dispose();
}
