using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using MotCua.DemoServices;
using MotCua.FunctionApp.Signing;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.Signing;

namespace MotCua.FunctionApp.Tests;

/// <summary>What start.sh sets up for the local demo: a CA made once, whose seal and time-stamps the app uses and the verifier trusts.</summary>
public sealed class DemoPkiTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-demo-pki-").FullName;

    [Fact]
    public async Task DemoPki_MadeOnce_GivesASealAndTimeStampsChainingToTheTrustedDemoRoot()
    {
        var pki = new DemoPki(Path.Combine(_folder, "pki"));
        var trust = Path.Combine(_folder, "trust");
        Assert.Equal(4, pki.Ensure("mật khẩu demo", trust, DateTimeOffset.UtcNow).Count);
        var seal = await File.ReadAllBytesAsync(pki.SealFile);
        // A second start reuses everything.
        Assert.Empty(pki.Ensure("mật khẩu demo", trust, DateTimeOffset.UtcNow));
        Assert.Equal(seal, await File.ReadAllBytesAsync(pki.SealFile));

        var (tsaCertificate, tsaChain) = pki.LoadTsa("mật khẩu demo");
        var responder = new TimestampResponder(tsaCertificate, tsaChain, TimeProvider.System);
        var (tsa, address) = await LocalServer.StartAsync("http://127.0.0.1:0", a => a.MapTimestampAuthority("/tsa", responder));
        await using var server = tsa;
        await using var app = await TestApp.StartAsync(seed: false, settings: new()
        {
            ["Signatures:TrustFolder"] = trust,
            ["Signing:Seal:Pkcs12Path"] = pki.SealFile,
            ["Signing:Seal:Pkcs12Password"] = "mật khẩu demo",
            ["Signing:Timestamp:Url"] = address + "tsa",
            ["Signing:DemoAuthority:Pkcs12Path"] = pki.RootFile,
            ["Signing:DemoAuthority:Pkcs12Password"] = "mật khẩu demo",
        });

        var signer = await app.Services.GetRequiredService<SealKey>().GetAsync(CancellationToken.None);
        var digest = SHA256.HashData("quyết định"u8);
        var signature = await signer.SignDigestAsync(digest, CancellationToken.None);
        using (var rsa = signer.Certificate.GetRSAPublicKey()!)
            Assert.True(rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var anchor = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(trust, "anchors", "motcua-demo-root.cer"));
        Assert.True(ChainsTo(signer.Certificate, anchor));

        var token = await app.Services.GetRequiredService<ITimestampAuthority>().TimestampAsync(digest, CancellationToken.None);
        Assert.True(Rfc3161TimestampToken.TryDecode(token, out var decoded, out _));
        Assert.True(decoded!.VerifySignatureForHash(digest, HashAlgorithmName.SHA256, out var tsaSigner, extraCandidates: null));
        Assert.True(ChainsTo(tsaSigner!, anchor));
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 anchor)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(anchor);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
