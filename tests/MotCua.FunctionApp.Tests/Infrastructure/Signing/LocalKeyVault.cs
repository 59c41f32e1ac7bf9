using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace MotCua.FunctionApp.Tests.Infrastructure.Signing;

/// <summary>
/// The Key Vault secrets REST API, as much as reading a certificate's secret takes: GET
/// /secrets/{name}/{version?}?api-version=…, over TLS, answering a request without a token with the
/// bearer challenge (authorization, resource) the SDK expects before it asks its credential for one.
/// It is reached under a vault host name, connected to loopback by the client's transport.
/// </summary>
public sealed class LocalKeyVault : IAsyncDisposable
{
    public const string AccessToken = "local-key-vault-token";
    private readonly WebApplication _app;
    private readonly X509Certificate2 _tls;
    private readonly ConcurrentDictionary<string, (string Value, string ContentType)> _secrets = new(StringComparer.OrdinalIgnoreCase);

    private LocalKeyVault(WebApplication app, X509Certificate2 tls, int port, string host)
    {
        VaultUri = new Uri($"https://{host}/");
        _app = app;
        _tls = tls;
        Port = port;
    }

    /// <summary>A vault name of its own: the SDK remembers each vault's challenge for the process's lifetime.</summary>
    public Uri VaultUri { get; }
    public int Port { get; }

    /// <summary>Each request as it arrived: whether it carried the bearer token, and what it asked for.</summary>
    public ConcurrentQueue<(string Path, bool Authorized)> Requests { get; } = new();

    /// <summary>The scopes the client asked its credential for.</summary>
    public ConcurrentQueue<string> ScopesRequested { get; } = new();

    public static async Task<LocalKeyVault> StartAsync()
    {
        var host = $"motcua-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.vault.azure.net";
        var tls = TlsCertificate(host);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(tls)));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        LocalKeyVault? vault = null;
        app.MapGet("/secrets/{name}/{version?}", (string name, HttpContext context) => vault!.GetSecret(name, context));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        vault = new LocalKeyVault(app, tls, port, host);
        return vault;
    }

    /// <summary>A certificate as Key Vault stores it: the secret of the certificate's name, a PFX without password, base64.</summary>
    public void AddCertificate(string name, X509Certificate2Collection certificates) =>
        _secrets[name] = (Convert.ToBase64String(certificates.Export(X509ContentType.Pkcs12)!), "application/x-pkcs12");

    public void AddSecret(string name, string value, string contentType) => _secrets[name] = (value, contentType);

    /// <summary>A client as the app would build one, with a transport that reaches this server and trusts its certificate.</summary>
    public SecretClient Client()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _tls.GetCertHashString() },
        };
        var credential = DelegatedTokenCredential.Create((context, _) =>
        {
            foreach (var scope in context.Scopes) ScopesRequested.Enqueue(scope);
            return new AccessToken(AccessToken, DateTimeOffset.UtcNow.AddHours(1));
        });
        var options = new SecretClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        options.Retry.MaxRetries = 0;
        return new SecretClient(VaultUri, credential, options);
    }

    private IResult GetSecret(string name, HttpContext context)
    {
        var authorized = context.Request.Headers.Authorization.ToString() == "Bearer " + AccessToken;
        Requests.Enqueue((context.Request.Path.Value!, authorized));
        if (string.IsNullOrEmpty(context.Request.Query["api-version"])) return Error(400, "BadParameter", "The request URI must have an api-version.");
        if (!authorized)
        {
            context.Response.Headers.WWWAuthenticate =
                "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";
            return Error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        }
        if (!_secrets.TryGetValue(name, out var secret)) return Error(404, "SecretNotFound", $"A secret with (name/id) {name} was not found in this key vault.");
        var version = "0123456789abcdef0123456789abcdef";
        return Results.Json(new
        {
            value = secret.Value,
            contentType = secret.ContentType,
            id = $"{VaultUri}secrets/{name}/{version}",
            managed = true,
            kid = $"{VaultUri}keys/{name}/{version}",
            attributes = new { enabled = true, created = 1_700_000_000, updated = 1_700_000_000, recoveryLevel = "Recoverable+Purgeable" },
        });
    }

    private static IResult Error(int status, string code, string message) => Results.Json(new { error = new { code, message } }, statusCode: status);

    private static X509Certificate2 TlsCertificate(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _tls.Dispose();
    }
}
