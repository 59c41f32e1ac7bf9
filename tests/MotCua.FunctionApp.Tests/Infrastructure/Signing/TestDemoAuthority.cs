using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MotCua.Signing.Keys;

namespace MotCua.FunctionApp.Tests.Infrastructure.Signing;

/// <summary>
/// The demo certificate authority test apps run with, as start.sh runs the app locally: one root per
/// test run, its PKCS#12 in the test output folder, so phones register without bringing a certificate.
/// </summary>
public static class TestDemoAuthority
{
    private static readonly Lazy<(string Path, string Password, X509Certificate2 Root)> Files = new(Create);

    public static string Pkcs12Path => Files.Value.Path;
    public static string Password => Files.Value.Password;
    public static X509Certificate2 Root => Files.Value.Root;

    private static (string, string, X509Certificate2) Create()
    {
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var authority = CertificateAuthority.CreateRoot("CN=MotCua Test Demo Root, O=MotCua Test, C=VN",
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "demo-authority")).FullName;
        var path = Path.Combine(folder, $"demo-root-{Environment.ProcessId}.pfx");
        File.WriteAllBytes(path, authority.Certificate.Export(X509ContentType.Pkcs12, password));
        return (path, password, X509CertificateLoader.LoadCertificate(authority.Certificate.RawData));
    }
}
