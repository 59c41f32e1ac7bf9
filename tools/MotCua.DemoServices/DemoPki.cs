using System.Security.Cryptography.X509Certificates;
using MotCua.Signing.Keys;

namespace MotCua.DemoServices;

/// <summary>
/// The local demo's certificate authority and what it issued, kept as files so every start reuses
/// them: a root (demo-root.pfx), the agency's seal (seal.pfx) and the time-stamping unit (tsa.pfx),
/// each PKCS#12 under one password; the root's certificate goes to the verifier's anchors/.
/// </summary>
public sealed record DemoPki(string Folder)
{
    public string RootFile => Path.Combine(Folder, "demo-root.pfx");
    public string SealFile => Path.Combine(Folder, "seal.pfx");
    public string TsaFile => Path.Combine(Folder, "tsa.pfx");

    /// <summary>Creates what is missing; returns what it created, for the log.</summary>
    public IReadOnlyList<string> Ensure(string password, string trustFolder, DateTimeOffset now)
    {
        Directory.CreateDirectory(Folder);
        var created = new List<string>();
        CertificateAuthority root;
        if (File.Exists(RootFile))
        {
            root = CertificateAuthority.FromPkcs12(File.ReadAllBytes(RootFile), password);
        }
        else
        {
            root = CertificateAuthority.CreateRoot("CN=MotCua Demo Root CA, O=MotCua (thử nghiệm), C=VN", now.AddDays(-1), now.AddYears(10));
            Write(RootFile, root.Certificate.Export(X509ContentType.Pkcs12, password));
            created.Add(RootFile);
        }
        using (root)
        {
            if (!File.Exists(SealFile))
            {
                using var seal = root.IssueWithNewKey(new X500DistinguishedName("CN=Dấu cơ quan thử nghiệm MotCua, O=MotCua (thử nghiệm), C=VN"),
                    rsa: true, now.AddDays(-1), now.AddYears(3));
                Write(SealFile, Bundle(seal, root.Certificate).Export(X509ContentType.Pkcs12, password)!);
                created.Add(SealFile);
            }
            if (!File.Exists(TsaFile))
            {
                using var tsa = root.IssueWithNewKey(new X500DistinguishedName("CN=MotCua Demo TSA, O=MotCua (thử nghiệm), C=VN"),
                    rsa: true, now.AddDays(-1), now.AddYears(5), [CertificateAuthority.TimeStampingOid]);
                Write(TsaFile, Bundle(tsa, root.Certificate).Export(X509ContentType.Pkcs12, password)!);
                created.Add(TsaFile);
            }
            var anchors = Directory.CreateDirectory(Path.Combine(trustFolder, "anchors")).FullName;
            var anchor = Path.Combine(anchors, "motcua-demo-root.cer");
            if (!File.Exists(anchor) || !File.ReadAllBytes(anchor).AsSpan().SequenceEqual(root.Certificate.RawData))
            {
                File.WriteAllBytes(anchor, root.Certificate.RawData);
                created.Add(anchor);
            }
        }
        return created;
    }

    /// <summary>The time-stamping unit's certificate with its key, and its issuers.</summary>
    public (X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain) LoadTsa(string password)
    {
        var all = X509CertificateLoader.LoadPkcs12Collection(File.ReadAllBytes(TsaFile), password,
            X509KeyStorageFlags.EphemeralKeySet | X509KeyStorageFlags.Exportable);
        var leaf = all.Single(c => c.HasPrivateKey);
        return (leaf, [.. all.Where(c => !ReferenceEquals(c, leaf))]);
    }

    private static X509Certificate2Collection Bundle(X509Certificate2 withKey, X509Certificate2 issuer) =>
        [withKey, X509CertificateLoader.LoadCertificate(issuer.RawData)];

    // Owner-only: the files hold private keys.
    private static void Write(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new FileStream(path, options);
        file.Write(bytes);
    }
}
