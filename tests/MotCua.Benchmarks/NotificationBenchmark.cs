using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Storage;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.Messaging;
using MotCua.Messaging.StorageQueues;

namespace MotCua.Benchmarks;

/// <summary>
/// notifications [changes=500] [latencyMs=100]: a burst of status changes (each dossier's acceptance event,
/// queued at once as the outbox would), each to its own citizen with one phone, until every citizen's phone
/// has its push at the local FCM server. The bound does, in the same run and at the same concurrency, the
/// least the design needs per notification with bare SDK clients: one queue send, receive and delete, the
/// device read, the inbox row, the push record and the FCM call. The FCM server answers after the given
/// delay, standing in for the round trip to Google. Also: from each change's event to its push reaching
/// FCM (p50, p99), and the storage operations per notification.
/// </summary>
internal static class NotificationBenchmark
{
    private const int Concurrency = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        var changes = args.Length > 0 ? int.Parse(args[0]) : 500;
        var latency = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1]) : 100);
        await using var fcm = await FakeFcm.StartAsync();
        fcm.Latency = latency;
        var settings = fcm.Settings;
        settings["Queues:Pump:MaxConcurrency"] = Concurrency.ToString();
        settings["Notifications:Fcm:MaxConcurrency"] = Concurrency.ToString();
        var counter = new StorageOperationCounter();
        await using var bench = await BenchmarkApp.StartAsync("n", "citizen-001", Concurrency, mode: "Standalone", settings: settings, services: counter.Register);
        var tokens = bench.App.Services.GetRequiredService<LocalTokens>();

        // Each dossier belongs to its own citizen with one phone, so every change is one notification and one push.
        var citizens = new List<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, changes + 1), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var citizen = new CurrentUser($"citizen-b{i:D5}", "Nguyễn Văn Bình", Roles.Citizen, null);
            await Send(bench.Http, HttpMethod.Put, "/api/me/devices", tokens.Issue(citizen, TimeSpan.FromHours(1)),
                JsonContent.Create(new { token = Token(i), platform = "android", locale = "vi" }));
        });
        for (var i = 0; i <= changes; i++) citizens.Add($"citizen-b{i:D5}");

        // The burst: each dossier's acceptance event, as the outbox hands it to the notification queue.
        // One goes first, alone, so the queue consumers are awake when the rest arrive.
        var transport = bench.App.Services.GetRequiredService<IMessageTransport>();
        var at = DateTimeOffset.UtcNow;
        var queuedAt = new long[changes + 1];
        await QueueAsync(changes, CancellationToken.None);
        while (fcm.Accepted.IsEmpty) await Task.Delay(1);
        var before = counter.Snapshot();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, changes), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) => await QueueAsync(i, ct));
        while (fcm.Accepted.Count < changes + 1) await Task.Delay(2);
        var oursSeconds = watch.Elapsed.TotalSeconds;
        var operations = counter.Snapshot() - before;
        var ourDelays = fcm.Accepted.Where(p => p.Token != Token(changes))
            .Select(p => Stopwatch.GetElapsedTime(queuedAt[int.Parse(p.Token.Split('-')[3])], p.ArrivedAt).TotalMilliseconds).Order().ToArray();

        async Task QueueAsync(int i, CancellationToken ct)
        {
            var code = $"000.20.30.H56-261122-{i + 1:D5}";
            var change = new MotCua.FunctionApp.Dossiers.DossierEvent(code, 3, "accept", 1, 2, "clerk-001", at, "1.001193", "Đăng ký khai sinh",
                DemoData.NhaTrangWard, DemoData.NhaTrangWard, null, 0, "Tiếp nhận", "clerk", citizens[i], "Nguyễn Văn Bình", at.AddDays(5), at.AddDays(1));
            queuedAt[i] = Stopwatch.GetTimestamp();
            await transport.SendAsync(MotCua.FunctionApp.Hosting.QueueNames.Notifications, new OutgoingMessage(Guid.NewGuid().ToString("N"),
                MotCua.FunctionApp.Dossiers.DossierEvent.Subject, BinaryData.FromObjectAsJson(change, JsonSerializerOptions.Web)), ct);
        }

        var (bareSeconds, bareDelays) = await BareAsync(bench, fcm, changes);
        var ours = changes / oursSeconds;
        var bare = changes / bareSeconds;
        double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))];
        Console.WriteLine($"notifications: {changes} status changes, FCM latency {latency.TotalMilliseconds:F0} ms, concurrency {Concurrency}, {Environment.ProcessorCount} cores");
        Console.WriteLine("| side | notifications/s | change → push at FCM p50 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| MotCua | {ours:F1} | {P(ourDelays, 0.5):F0} | {P(ourDelays, 0.99):F0} |");
        Console.WriteLine($"| bare SDK bound | {bare:F1} | {P(bareDelays, 0.5):F0} | {P(bareDelays, 0.99):F0} |");
        Console.WriteLine($"ratio {ours / bare:F2}; MotCua storage operations per notification: {operations.Work / (double)changes:F2} "
            + $"({operations}; the bound's: 5 besides its receive)");
        return 0;
    }

    private static string Token(int i) => $"bench-device-token-{i:D8}-xxxxxxxx";

    /// <summary>
    /// The least the design needs, with the SDK clients and nothing of ours: each change is one queue
    /// message (sent in a burst, received one at a time by 16 workers, deleted when done); each worker
    /// reads the citizen's devices, adds the inbox row, adds the push record and calls FCM.
    /// </summary>
    private static async Task<(double Seconds, double[] Delays)> BareAsync(BenchmarkApp bench, FakeFcm fcm, int changes)
    {
        var storage = bench.App.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var tables = MotCuaTables.Create(new TableServiceClient(storage.ConnectionString), bench.Prefix);
        var queue = new QueueServiceClient(storage.ConnectionString, new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06)
            { MessageEncoding = QueueMessageEncoding.Base64 }).GetQueueClient(bench.Prefix + "bare-notifications");
        await queue.CreateIfNotExistsAsync();
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency });
        var bearer = await BareAccessTokenAsync(fcm);
        var queuedAt = new long[changes];
        var done = 0;
        var watch = Stopwatch.StartNew();
        var producer = Parallel.ForEachAsync(Enumerable.Range(0, changes), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            queuedAt[i] = Stopwatch.GetTimestamp();
            await queue.SendMessageAsync($"{{\"i\":{i},\"userId\":\"citizen-b{i:D5}\"}}", ct);
        });
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (Volatile.Read(ref done) < changes)
            {
                var received = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1))).Value;
                if (received.Length == 0)
                {
                    await Task.Delay(5);
                    continue;
                }
                var message = received[0];
                var body = JsonDocument.Parse(message.Body.ToString()).RootElement;
                var (i, userId) = (body.GetProperty("i").GetInt32(), body.GetProperty("userId").GetString()!);
                var devices = new List<DeviceEntity>();
                await foreach (var d in tables.Devices.QueryAsync<DeviceEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"u:" + userId}"))) devices.Add(d);
                var row = new InboxEntity
                {
                    PartitionKey = "bare-" + userId, RowKey = $"{i:D19}-code-s000003", Kind = NotificationKinds.Accepted, DossierCode = $"000.20.30.H56-261122-{i + 1:D5}",
                    Title = "Hồ sơ đã được tiếp nhận", Body = "Đăng ký khai sinh", Status = 2, CreatedAt = DateTimeOffset.UtcNow,
                };
                await tables.Inbox.AddEntityAsync(row);
                foreach (var device in devices)
                {
                    await tables.Pushes.AddEntityAsync(new PushEntity { PartitionKey = $"bare-{userId}|{row.RowKey}", RowKey = device.RowKey, State = "sent" });
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"{fcm.BaseUrl}/v1/projects/{FakeFcm.ProjectId}/messages:send")
                    {
                        Content = new StringContent(PushPayload.Message("bare-" + device.Token, PushContent.Of(row)).ToJsonString(), Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                    using var response = await http.SendAsync(request);
                    response.EnsureSuccessStatusCode();
                }
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                Interlocked.Increment(ref done);
            }
        }).ToList();
        await producer;
        await Task.WhenAll(workers);
        var seconds = watch.Elapsed.TotalSeconds;
        return (seconds, fcm.Accepted.Where(p => p.Token.StartsWith("bare-", StringComparison.Ordinal))
            .Select(p => Stopwatch.GetElapsedTime(queuedAt[int.Parse(p.Token.Split('-')[4])], p.ArrivedAt).TotalMilliseconds).Order().ToArray());
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
