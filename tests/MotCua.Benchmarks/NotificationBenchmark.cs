using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.Benchmarks;

/// <summary>
/// notifications [dossiers=200] [latencyMs=0]: a burst of status changes (each dossier's acceptance event,
/// queued at once as the outbox would) until every citizen's inbox has its notification and their phone
/// its push at the local FCM server, against a bare HttpClient sending
/// the same number of messages:send requests to the same server with the same concurrency. The
/// server can answer after a delay, standing in for the round trip to Google.
/// </summary>
internal static class NotificationBenchmark
{
    private const int Concurrency = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        var dossiers = args.Length > 0 ? int.Parse(args[0]) : 200;
        var latency = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1]) : 0);
        await using var fcm = await FakeFcm.StartAsync();
        fcm.Latency = latency;
        var settings = fcm.Settings;
        settings["Queues:Pump:MaxConcurrency"] = Concurrency.ToString();
        settings["Notifications:Fcm:MaxConcurrency"] = Concurrency.ToString();
        await using var bench = await BenchmarkApp.StartAsync("n", "citizen-001", Concurrency, mode: "Standalone", settings: settings);
        var tokens = bench.App.Services.GetRequiredService<LocalTokens>();

        // Each dossier belongs to its own citizen with one phone, so every change is one notification and one push.
        var citizens = new List<string>();
        for (var i = 0; i < dossiers; i++)
        {
            var citizen = new CurrentUser($"citizen-b{i:D5}", "Nguyễn Văn Bình", Roles.Citizen, null);
            await Send(bench.Http, HttpMethod.Put, "/api/me/devices", tokens.Issue(citizen, TimeSpan.FromHours(1)),
                JsonContent.Create(new { token = $"bench-device-token-{i:D8}-xxxxxxxx", platform = "android", locale = "vi" }));
            citizens.Add(citizen.Id);
        }

        // The burst: each dossier's acceptance event, as the outbox hands it to the notification queue.
        // The first one goes alone and is awaited, so the queue consumers are awake (not at their idle poll) when the rest arrive.
        var transport = bench.App.Services.GetRequiredService<MotCua.Messaging.IMessageTransport>();
        var at = DateTimeOffset.UtcNow;
        await QueueAsync(0, CancellationToken.None);
        while (fcm.Accepted.IsEmpty) await Task.Delay(1);
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(1, dossiers - 1), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) => await QueueAsync(i, ct));
        var queued = watch.Elapsed;
        while (fcm.Accepted.Count < dossiers) await Task.Delay(5);
        var ours = (dossiers - 1) / watch.Elapsed.TotalSeconds;

        async Task QueueAsync(int i, CancellationToken ct)
        {
            var code = $"000.20.30.H56-261122-{i + 1:D4}";
            var change = new MotCua.FunctionApp.Dossiers.DossierEvent(code, 3, "accept", 1, 2, "clerk-001", at, "1.001193", "Đăng ký khai sinh",
                DemoData.NhaTrangWard, DemoData.NhaTrangWard, null, 0, "Tiếp nhận", "clerk", citizens[i], "Nguyễn Văn Bình", at.AddDays(5), at.AddDays(1));
            await transport.SendAsync(MotCua.FunctionApp.Hosting.QueueNames.Notifications, new MotCua.Messaging.OutgoingMessage(Guid.NewGuid().ToString("N"),
                MotCua.FunctionApp.Dossiers.DossierEvent.Subject, BinaryData.FromObjectAsJson(change, JsonSerializerOptions.Web)), ct);
        }

        // The bare client: the same number of messages:send requests, same concurrency, same server, same token flow.
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency });
        var bareToken = await BareAccessTokenAsync(fcm);
        var bareWatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, dossiers), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            var message = PushPayload.Message($"bare-device-token-{i:D8}", new InboxEntity
            {
                PartitionKey = "u", RowKey = $"{i:D19}-code-s000001", Kind = NotificationKinds.Accepted, DossierCode = "000.20.30.H56-261122-0001",
                Title = "Hồ sơ đã được tiếp nhận", Body = "Đăng ký khai sinh", Status = 2,
            });
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{fcm.BaseUrl}/v1/projects/{FakeFcm.ProjectId}/messages:send")
            {
                Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bareToken);
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
        });
        var bare = dossiers / bareWatch.Elapsed.TotalSeconds;
        Console.WriteLine($"notifications: {dossiers} status changes, FCM latency {latency.TotalMilliseconds:F0} ms, concurrency {Concurrency}: "
            + $"events queued in {queued.TotalSeconds:F1} s, last push after {watch.Elapsed.TotalSeconds:F1} s = {ours:F1} notifications/s; "
            + $"bare HttpClient {bare:F1} messages/s; ratio {ours / bare:F2}");
        return 0;
    }

    /// <summary>The bare client gets its access token the documented way, with the same service-account key.</summary>
    private static async Task<string> BareAccessTokenAsync(FakeFcm fcm)
    {
        var key = JsonDocument.Parse(fcm.ServiceAccountJson).RootElement;
        var credential = new Google.Apis.Auth.OAuth2.ServiceAccountCredential(new Google.Apis.Auth.OAuth2.ServiceAccountCredential.Initializer(
            key.GetProperty("client_email").GetString(), fcm.TokenUri) { Scopes = ["https://www.googleapis.com/auth/firebase.messaging"] }
            .FromPrivateKey(key.GetProperty("private_key").GetString()));
        return await credential.GetAccessTokenForRequestAsync();
    }

    private static async Task<string> Send(HttpClient http, HttpMethod method, string path, string token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }
}
