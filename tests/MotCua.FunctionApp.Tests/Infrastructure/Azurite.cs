using System.Diagnostics;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>
/// Real Azurite for the tests: used when something already listens on its ports, otherwise started
/// from the project-local install (<c>.tools/azurite</c>) for the test run and stopped after it.
/// </summary>
public sealed class Azurite : IAsyncLifetime
{
    private static readonly int[] Ports = [10000, 10001, 10002];
    private Process? _process;

    public async Task InitializeAsync()
    {
        if (await AllListeningAsync()) return;
        var script = Path.Combine(RepositoryRoot.Path, ".tools", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed at {script}: run ./scripts/test.sh, which installs it.");
        _process = Process.Start(new ProcessStartInfo("node",
            [script, "--inMemoryPersistence", "--disableTelemetry", "--silent", "--skipApiVersionCheck"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        });
        for (var i = 0; i < 100 && !await AllListeningAsync(); i++) await Task.Delay(200);
        if (!await AllListeningAsync()) throw new InvalidOperationException("Azurite did not start.");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static Task<bool> AllListeningAsync() => LocalPorts.AllListeningAsync(Ports);
}

[CollectionDefinition(Name)]
/// <summary>Tests on real storage, run one class at a time.</summary>
public sealed class AzuriteCollection : ICollectionFixture<Azurite>
{
    public const string Name = "Azurite";
}

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Serverless.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Serverless.sln not found above the test binaries.");
    }
}
