using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Signing;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.Signing;
using MotCua.Signing;
using MotCua.Signing.Keys;

namespace MotCua.FunctionApp.Tests;

/// <summary>The agency's seal, loaded by the app from a PKCS#12 file or a Key Vault certificate, signs digests its certificate verifies.</summary>
public sealed class SealKeyTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly string _folder = Directory.CreateTempSubdirectory("motcua-seal-").FullName;

    [Theory]
    [InlineData(TestKeyKind.Rsa2048)]
    [InlineData(TestKeyKind.EcdsaP256)]
    public async Task SealKey_FromPkcs12File_SignsWhatItsCertificateVerifies(TestKeyKind kind)
    {
        var seal = _pki.IssueSigner("CN=UBND xã Cẩm Lâm, O=MotCua Test, C=VN", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), kind);
        var path = Path.Combine(_folder, "seal.pfx");
        await File.WriteAllBytesAsync(path, new X509Certificate2Collection { seal, PublicOnly(_pki.Intermediate), PublicOnly(_pki.Root) }.Export(X509ContentType.Pkcs12, "mật khẩu")!);
        await using var app = await TestApp.StartAsync(seed: false, settings: new()
        {
            ["Signing:Seal:Pkcs12Path"] = path,
            ["Signing:Seal:Pkcs12Password"] = "mật khẩu",
        });

        var signer = await app.Services.GetRequiredService<SealKey>().GetAsync(CancellationToken.None);

        Assert.Equal(seal.Thumbprint, signer.Certificate.Thumbprint);
        Assert.Equal([_pki.Intermediate.Thumbprint], signer.Chain.Select(c => c.Thumbprint));
        await AssertSignsAsync(signer, seal);
    }

    [Fact]
    public async Task SealKey_WrongPassword_IsRefusedWithoutTheKeyOrPasswordInTheMessage()
    {
        var seal = _pki.IssueSigner("CN=Seal", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, "seal.pfx");
        await File.WriteAllBytesAsync(path, seal.Export(X509ContentType.Pkcs12, "right-password"));
        await using var app = await TestApp.StartAsync(seed: false, settings: new()
        {
            ["Signing:Seal:Pkcs12Path"] = path,
            ["Signing:Seal:Pkcs12Password"] = "wrong-password",
        });

        var refusal = await Assert.ThrowsAsync<SigningKeyException>(() => app.Services.GetRequiredService<SealKey>().GetAsync(CancellationToken.None).AsTask());
        Assert.DoesNotContain("wrong-password", refusal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SealKey_FromKeyVault_ReadsTheCertificatesSecretAfterTheBearerChallenge()
    {
        await using var vault = await LocalKeyVault.StartAsync();
        var seal = _pki.IssueSigner("CN=Dấu UBND xã, O=MotCua Test, C=VN", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), TestKeyKind.EcdsaP256);
        vault.AddCertificate("motcua-seal", [seal, PublicOnly(_pki.Intermediate)]);
        await using var app = await TestApp.StartAsync(seed: false, settings: new()
        {
            ["Signing:Seal:KeyVaultUri"] = vault.VaultUri.ToString(),
            ["Signing:Seal:CertificateName"] = "motcua-seal",
        }, services: s => s.AddSingleton(vault.Client()));

        var signer = await app.Services.GetRequiredService<SealKey>().GetAsync(CancellationToken.None);

        Assert.Equal(seal.Thumbprint, signer.Certificate.Thumbprint);
        Assert.Equal([_pki.Intermediate.Thumbprint], signer.Chain.Select(c => c.Thumbprint));
        await AssertSignsAsync(signer, seal);
        // The SDK first asks without a token, learns the authority from the challenge, then asks with one for the vault's scope.
        Assert.Equal([("/secrets/motcua-seal/", false), ("/secrets/motcua-seal/", true)], vault.Requests.Select(r => (r.Path.TrimEnd('/') + "/", r.Authorized)));
        Assert.Equal(["https://vault.azure.net/.default"], vault.ScopesRequested.Distinct());
    }

    [Fact]
    public async Task SealKey_FromKeyVaultPem_SignsWithTheKeyInThePem()
    {
        await using var vault = await LocalKeyVault.StartAsync();
        var seal = _pki.IssueSigner("CN=Seal PEM", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var key = seal.GetRSAPrivateKey()!;
        vault.AddSecret("seal-pem", key.ExportPkcs8PrivateKeyPem() + "\n" + seal.ExportCertificatePem() + "\n" + _pki.Intermediate.ExportCertificatePem(),
            "application/x-pem-file");

        var secret = (await vault.Client().GetSecretAsync("seal-pem")).Value;
        using var signer = KeyVaultCertificates.SignerOf(secret);

        Assert.Equal([_pki.Intermediate.Thumbprint], signer.Chain.Select(c => c.Thumbprint));
        await AssertSignsAsync(signer, seal);
    }

    [Fact]
    public async Task SealKey_SecretThatIsNoCertificate_IsRefused()
    {
        await using var vault = await LocalKeyVault.StartAsync();
        vault.AddSecret("password", "hunter2", "text/plain");
        var secret = (await vault.Client().GetSecretAsync("password")).Value;

        var refusal = Assert.Throws<SigningKeyException>(() => KeyVaultCertificates.SignerOf(secret));
        Assert.DoesNotContain("hunter2", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SealKey_BothAFileAndAVault_StopsTheAppAtStart()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(seed: false, settings: new()
        {
            ["Signing:Seal:Pkcs12Path"] = "/nowhere/seal.pfx",
            ["Signing:Seal:KeyVaultUri"] = "https://motcua-test.vault.azure.net/",
            ["Signing:Seal:CertificateName"] = "seal",
        }));
        Assert.Contains("either Pkcs12Path or KeyVaultUri", failure.Message);
    }

    private static async Task AssertSignsAsync(IHashSigner signer, X509Certificate2 certificate)
    {
        var digest = SHA256.HashData("hồ sơ 000.00.00.H00-260101-0001"u8);
        var signature = await signer.SignDigestAsync(digest, CancellationToken.None);
        using var rsa = certificate.GetRSAPublicKey();
        using var ecdsa = certificate.GetECDsaPublicKey();
        Assert.True(rsa is not null
            ? rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ecdsa!.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence));
    }

    private static X509Certificate2 PublicOnly(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    public void Dispose()
    {
        _pki.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
