using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MotCua.Signing.Keys;

namespace MotCua.FunctionApp.Signing;

/// <summary>
/// The local demo's certificate authority (start.sh creates it and trusts it). Configured, it issues
/// a certificate for a phone key registered without one; in production it is absent and a phone
/// key comes with a certificate from an accredited provider.
/// </summary>
public sealed class DemoAuthorityOptions
{
    public const string Section = "Signing:DemoAuthority";

    /// <summary>The demo root's PKCS#12 file, with its key.</summary>
    public string? Pkcs12Path { get; set; }

    public string? Pkcs12Password { get; set; }

    /// <summary>How long a certificate it issues for a phone key is valid.</summary>
    public TimeSpan DeviceCertificateLifetime { get; set; } = TimeSpan.FromDays(365 * 2);
}

public sealed class DemoAuthority(IOptions<DemoAuthorityOptions> options, TimeProvider time)
{
    private const string Organisation = "MotCua (thử nghiệm)";
    private readonly Lazy<CertificateAuthority?> _authority = new(() => Load(options.Value));

    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.Pkcs12Path);

    /// <summary>A certificate for an official's phone key: their name and user id in the subject.</summary>
    public X509Certificate2 IssueFor(string name, string userId, PublicKey publicKey)
    {
        var authority = _authority.Value ?? throw new SigningKeyException($"No demo authority is configured ({DemoAuthorityOptions.Section}).");
        var now = time.GetUtcNow();
        return authority.Issue(CertificateAuthority.PersonSubject(name, userId, Organisation), publicKey,
            now.AddMinutes(-5), now + options.Value.DeviceCertificateLifetime);
    }

    /// <summary>The authority's own certificate, the anchor its certificates chain to.</summary>
    public X509Certificate2 Certificate => (_authority.Value ?? throw new SigningKeyException("No demo authority is configured.")).Certificate;

    private static CertificateAuthority? Load(DemoAuthorityOptions options)
    {
        if (string.IsNullOrEmpty(options.Pkcs12Path)) return null;
        var bytes = File.ReadAllBytes(options.Pkcs12Path);
        try
        {
            return CertificateAuthority.FromPkcs12(bytes, options.Pkcs12Password);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
