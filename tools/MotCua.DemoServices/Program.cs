using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MotCua.DemoServices;

// motcua-demo-services init  --data <folder> --trust <folder>   create the demo CA, seal and TSA certificates (once) and trust the CA
// motcua-demo-services serve --data <folder> [--urls <url>]     serve the RFC 3161 time-stamping authority at <url>/tsa
// The PKCS#12 password of init and serve is read from the environment variable DEMO_PKI_PASSWORD.
// motcua-demo-services exchange --data <folder> --agencies <json file> [--urls <url>] [--client-ca <pem|cer>]
//                                                               a local document exchange axis at <url>/exchange
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = Options(args.Skip(1));
        if (args.FirstOrDefault() == "exchange") return await ExchangeAsync(options);
        var password = Environment.GetEnvironmentVariable("DEMO_PKI_PASSWORD");
        if (args.Length == 0 || string.IsNullOrEmpty(password) || !options.TryGetValue("data", out var data))
        {
            Console.Error.WriteLine("usage: DEMO_PKI_PASSWORD=… motcua-demo-services init --data <folder> --trust <folder> | serve --data <folder> [--urls <url>]");
            return 2;
        }
        var pki = new DemoPki(data);
        switch (args[0])
        {
            case "init" when options.TryGetValue("trust", out var trust):
                foreach (var file in pki.Ensure(password, trust, DateTimeOffset.UtcNow)) Console.WriteLine($"created {file}");
                return 0;
            case "serve":
                var (certificate, chain) = pki.LoadTsa(password);
                var responder = new TimestampResponder(certificate, chain, TimeProvider.System);
                var (app, address) = await LocalServer.StartAsync(options.GetValueOrDefault("urls", "http://127.0.0.1:7072"),
                    a => a.MapTimestampAuthority("/tsa", responder));
                Console.WriteLine($"time-stamping authority on {address}tsa");
                await app.WaitForShutdownAsync();
                return 0;
            default:
                Console.Error.WriteLine($"unknown command or missing option: {args[0]}");
                return 2;
        }
    }

    private static async Task<int> ExchangeAsync(Dictionary<string, string> options)
    {
        if (!options.TryGetValue("data", out var data) || !options.TryGetValue("agencies", out var agenciesFile))
        {
            Console.Error.WriteLine("usage: motcua-demo-services exchange --data <folder> --agencies <json file> [--urls <url>] [--client-ca <pem|cer>]");
            return 2;
        }
        var url = options.GetValueOrDefault("urls", "http://127.0.0.1:7073");
        var https = url.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        var clientCa = options.TryGetValue("client-ca", out var caFile) ? X509CertificateLoader.LoadCertificateFromFile(caFile) : null;
        if (clientCa is not null && !https)
        {
            Console.Error.WriteLine("--client-ca needs an https:// address in --urls");
            return 2;
        }
        var state = new DocumentExchangeState(data, TimeProvider.System, clientCa);
        state.Register(DocumentExchangeState.ReadAgencies(agenciesFile));
        LocalTls? tls = null;
        if (https)
        {
            // A fresh self-signed certificate each start; its public part is left in the data folder for clients to trust.
            var certificate = SelfSignedServerCertificate(new Uri(url).Host);
            var published = Path.Combine(data, "server.cer");
            File.WriteAllText(published, certificate.ExportCertificatePem());
            Console.WriteLine($"server certificate {certificate.Thumbprint} in {published}");
            tls = new LocalTls(certificate, clientCa is null ? null : state.AcceptsClientCertificate);
        }
        var (app, address) = await LocalServer.StartAsync(url, a => a.MapDocumentExchange("/exchange", state), tls);
        Console.WriteLine($"document exchange on {address}exchange ({(clientCa is null ? "systems named by the X-Exchange-System header" : "systems named by their client certificate's CN")})");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static X509Certificate2 SelfSignedServerCertificate(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        if (host != "localhost" && !System.Net.IPAddress.TryParse(host, out _)) names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private static Dictionary<string, string> Options(IEnumerable<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal)) name = arg[2..];
            else if (name is not null) { options[name] = arg; name = null; }
        }
        return options;
    }
}
