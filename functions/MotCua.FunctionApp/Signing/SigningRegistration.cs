using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MotCua.Signing;
using MotCua.Signing.RemoteSigning;
using MotCua.Signing.Timestamps;

namespace MotCua.FunctionApp.Signing;

public static class SigningRegistration
{
    private const string TimestampClient = "timestamp-authority";
    private const string RemoteSigningClient = "remote-signing";

    /// <summary>
    /// The keys and services signatures are made with: the agency's seal (<see cref="SealKey"/>),
    /// the RFC 3161 time-stamping authority (<see cref="ITimestampAuthority"/>), the remote signing
    /// service (<see cref="CscClient"/>) and, for the local demo, the demo certificate authority.
    /// </summary>
    public static IServiceCollection AddSigningServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SealKeyOptions>().BindConfiguration(SealKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SealKey>();
        // The vault is read with the app's managed identity in Azure (or a developer's sign-in); a host that registered its own client keeps it.
        if (configuration.GetSection(SealKeyOptions.Section).Get<SealKeyOptions>()?.KeyVaultUri is { } vault)
            services.TryAddSingleton(_ => new SecretClient(vault, new DefaultAzureCredential()));

        services.AddHttpClient(TimestampClient);
        services.AddOptions<TimestampAuthorityOptions>().BindConfiguration(TimestampAuthorityOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero && o.Timeout <= TimeSpan.FromMinutes(2), "Signing:Timestamp:Timeout must be between 0 and 2 minutes.")
            .Validate(o => o.Url is null || o.Url.Scheme == Uri.UriSchemeHttp || o.Url.Scheme == Uri.UriSchemeHttps, "Signing:Timestamp:Url must be http or https.")
            .ValidateOnStart();
        services.AddTransient<ITimestampAuthority>(sp => new HttpTimestampAuthority(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(TimestampClient), sp.GetRequiredService<IOptions<TimestampAuthorityOptions>>().Value));

        services.AddHttpClient(RemoteSigningClient);
        services.AddOptions<RemoteSigningOptions>().BindConfiguration(RemoteSigningOptions.Section)
            .Validate(o => o.BaseUrl is null || o.BaseUrl.AbsoluteUri.EndsWith('/'), "Signing:RemoteSigning:BaseUrl must end with '/' (…/csc/v2/).")
            .ValidateOnStart();
        services.AddTransient(sp => new CscClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(RemoteSigningClient), sp.GetRequiredService<IOptions<RemoteSigningOptions>>().Value));

        services.AddOptions<DemoAuthorityOptions>().BindConfiguration(DemoAuthorityOptions.Section);
        services.AddSingleton<DemoAuthority>();
        return services;
    }
}
