using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;

namespace MotCua.Benchmarks;

/// <summary>
/// coldstart [runs=10] [publish options...]: from process start to the first served signed-in
/// dossier read, MotCua in custom-handler mode from its published output, against a bare ASP.NET Core
/// app (tools/MotCua.BareStart) published the same way that serves one signed-in table read. The
/// Functions host is not started: this is the app's own start. Storage is made once first, as a
/// deployment does; MotCua then starts with <c>Storage:CreateOnStart</c> false, as deployed. The two
/// sides take turns; the figure is the median.
/// </summary>
internal static class ColdStartBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0]) : 10;
        var publishOptions = args.Skip(1).ToArray();
        var root = RepositoryRoot();
        var folder = Directory.CreateTempSubdirectory("motcua-coldstart-").FullName;
        var appDir = Path.Combine(folder, "app");
        var bareDir = Path.Combine(folder, "bare");
        await PublishAsync(Path.Combine(root, "functions", "MotCua.FunctionApp"), appDir, publishOptions);
        await PublishAsync(Path.Combine(root, "tools", "MotCua.BareStart"), bareDir, publishOptions);

        // The deployment: storage made once, and one citizen's dossier to read.
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var prefix = "c" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        string code, token;
        await using (var bench = await BenchmarkApp.StartAsync("c", "citizen-001", prefix: prefix, settings: new Dictionary<string, string?> { ["Auth:LocalSigningKey"] = key }))
        {
            code = await SubmitAsync(bench);
            token = bench.App.Services.GetRequiredService<LocalTokens>().Issue(DemoData.Users.Single(u => u.Id == "citizen-001"), TimeSpan.FromHours(2));
        }
        var settings = new Dictionary<string, string>
        {
            ["Storage__Prefix"] = prefix,
            ["Auth__LocalSigningKey"] = key,
            ["Hosting__Mode"] = "CustomHandler",
            ["Storage__CreateOnStart"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };

        var motcua = new List<double>();
        var bare = new List<double>();
        await StartOnceAsync(Path.Combine(appDir, "MotCua.FunctionApp.dll"), settings, code, token); // the disk cache warm for both
        await StartOnceAsync(Path.Combine(bareDir, "MotCua.BareStart.dll"), settings, code, token);
        for (var i = 0; i < runs; i++)
        {
            motcua.Add(await StartOnceAsync(Path.Combine(appDir, "MotCua.FunctionApp.dll"), settings, code, token));
            bare.Add(await StartOnceAsync(Path.Combine(bareDir, "MotCua.BareStart.dll"), settings, code, token));
        }
        double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
        Console.WriteLine($"coldstart: {runs} starts each, publish options [{string.Join(' ', publishOptions)}], {Environment.ProcessorCount} cores");
        Console.WriteLine($"  MotCua ms: {string.Join(", ", motcua.Select(m => m.ToString("F0")))}");
        Console.WriteLine($"  bare ms:   {string.Join(", ", bare.Select(m => m.ToString("F0")))}");
        Console.WriteLine("| app | median ms | min ms | max ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| MotCua (custom handler, first signed-in dossier read) | {Median(motcua):F0} | {motcua.Min():F0} | {motcua.Max():F0} |");
        Console.WriteLine($"| bare ASP.NET Core (first signed-in table read) | {Median(bare):F0} | {bare.Min():F0} | {bare.Max():F0} |");
        Console.WriteLine($"ratio {Median(motcua) / Median(bare):F2}");
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    /// <summary>Starts the published app and asks for the dossier until it is served; returns the milliseconds from the start.</summary>
    private static async Task<double> StartOnceAsync(string dll, Dictionary<string, string> settings, string code, string token)
    {
        var port = FreePort();
        // The Functions host starts the handler in its own folder (host.json: customHandler workingDirectory "app"),
        // which is also each app's content root: configuration files are watched there.
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var (name, value) in settings) start.Environment[name] = value;
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                if (process.HasExited) throw new InvalidOperationException($"{dll} exited with {process.ExitCode}.");
                if (watch.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException($"{dll} served nothing in a minute.");
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/api/dossiers/{code}");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await http.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.OK) return watch.Elapsed.TotalMilliseconds;
                    throw new InvalidOperationException($"{dll}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(2); // not listening yet
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<string> SubmitAsync(BenchmarkApp bench)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(JsonSerializer.Serialize(new
        {
            procedureCode = "1.001193",
            receivingUnit = DemoData.NhaTrangWard,
            applicant = new { fullName = "Nguyễn Thị Hoa", idNumber = "001190012345" },
        }), Encoding.UTF8, "application/json"), "dossier");
        var file = new ByteArrayContent([.. "%PDF-1.7\n"u8, .. RandomNumberGenerator.GetBytes(1000)]);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "document", "to-khai.pdf");
        using var response = await bench.Http.PostAsync("/api/dossiers", form);
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()!;
    }

    private static async Task PublishAsync(string project, string output, string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "publish", project, "-c", "Release", "-o", output, "-nologo", "-v", "quiet" }.Concat(options)) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output1 = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"publish {project} failed: {await output1} {await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Serverless.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Run from inside the repository.");
    }
}
