using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MotCua.FunctionApp;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;

namespace MotCua.Benchmarks;

/// <summary>
/// The app on a loopback port with its own storage names and demo data, and an HTTP client signed in
/// as <c>user</c>. Custom-handler mode by default: the Functions host would own the queue consumers, so none run;
/// standalone mode runs them, for benchmarks of the processing steps.
/// </summary>
internal sealed record BenchmarkApp(WebApplication App, string Prefix, HttpClient Http) : IAsyncDisposable
{
    public static async Task<BenchmarkApp> StartAsync(string prefixLetter, string userId, int connections = 16, string? prefix = null,
        string mode = "CustomHandler", IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        prefix ??= prefixLetter + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var app = MotCuaApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            services?.Invoke(builder.Services);
            var configuration = new Dictionary<string, string?>
            {
                ["Storage:Prefix"] = prefix,
                ["Auth:LocalSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Hosting:Mode"] = mode,
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (name, value) in settings ?? new Dictionary<string, string?>()) configuration[name] = value;
            builder.Configuration.AddInMemoryCollection(configuration);
        });
        await app.StartAsync();
        await app.Services.GetRequiredService<DemoData>().SeedAsync(CancellationToken.None);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            app.Services.GetRequiredService<LocalTokens>().Issue(DemoData.Users.Single(u => u.Id == userId), TimeSpan.FromHours(2)));
        return new BenchmarkApp(app, prefix, http);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
    }
}
