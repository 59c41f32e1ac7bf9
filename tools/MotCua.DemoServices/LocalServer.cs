using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MotCua.DemoServices;

/// <summary>HTTPS for a <see cref="LocalServer"/>: the server's certificate and, when given, the client certificates it accepts (then required).</summary>
public sealed record LocalTls(X509Certificate2 ServerCertificate, Func<X509Certificate2, bool>? AcceptClientCertificate = null);

/// <summary>A small HTTP server on a loopback address, for the demo and for tests.</summary>
public static class LocalServer
{
    public static Task<(WebApplication App, Uri Address)> StartAsync(string url, Action<WebApplication> map, CancellationToken cancellationToken = default) =>
        StartAsync(url, map, tls: null, cancellationToken);

    public static async Task<(WebApplication App, Uri Address)> StartAsync(string url, Action<WebApplication> map, LocalTls? tls, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        if (tls is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = tls.ServerCertificate;
                if (tls.AcceptClientCertificate is { } accept)
                {
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.ClientCertificateValidation = (certificate, _, _) => accept(certificate);
                }
            }));
        }
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }
}
