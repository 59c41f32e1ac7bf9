namespace MotCua.DemoServices;

// motcua-demo-services init  --data <folder> --trust <folder>   create the demo CA, seal and TSA certificates (once) and trust the CA
// motcua-demo-services serve --data <folder> [--urls <url>]     serve the RFC 3161 time-stamping authority at <url>/tsa
// The PKCS#12 password is read from the environment variable DEMO_PKI_PASSWORD.
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = Options(args.Skip(1));
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
