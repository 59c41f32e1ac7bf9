using System.Net.Http.Headers;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Storage;
using MotCua.Messaging;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>
/// The real app on a real loopback port against Azurite, with its own table, container and queue
/// names so tests never see each other's data.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app, string prefix, HostingMode mode)
    {
        _app = app;
        Prefix = prefix;
        Mode = mode;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient(new ProblemContractCheck(new HttpClientHandler())) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
    }

    public string Prefix { get; }
    public HostingMode Mode { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;
    public MotCuaTables Tables => Services.GetRequiredService<MotCuaTables>();
    public BlobContainerClient Documents => Services.GetRequiredService<BlobContainerClient>();
    public IMessageTransport Transport => Services.GetRequiredService<IMessageTransport>();

    /// <summary>Messages on one of this app's queues, visible, locked or scheduled, on whichever transport it runs.</summary>
    public async Task<long> QueuedAsync(string queue) =>
        Transport is Messaging.ServiceBus.ServiceBusTransport
            ? (await SharedServiceBus.GetAsync()).Unsettled(Prefix + queue)
            : (await Services.GetRequiredService<Azure.Storage.Queues.QueueServiceClient>().GetQueueClient(Prefix + queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;

    /// <summary>Takes what waits on one of this app's storage queues (for apps whose consumers do not run).</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> TakeQueuedAsync(string queue)
    {
        var storage = Transport as Messaging.StorageQueues.StorageQueueTransport ?? throw new InvalidOperationException("The app does not run on storage queues.");
        return [.. (await storage.ReceiveAsync(queue, 32, TimeSpan.FromMinutes(1), CancellationToken.None)).Select(m => m.Message)];
    }

    public static async Task<TestApp> StartAsync(HostingMode mode = HostingMode.Standalone, Dictionary<string, string?>? settings = null,
        TimeProvider? time = null, bool seed = true, QueueTransportKind transport = QueueTransportKind.StorageQueues,
        Action<IServiceCollection>? services = null)
    {
        var prefix = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var configuration = new Dictionary<string, string?>
        {
            ["Storage:Prefix"] = prefix,
            ["Auth:LocalSigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Hosting:Mode"] = mode.ToString(),
            ["Queues:Pump:MinPollInterval"] = "00:00:00.020",
            ["Queues:Pump:MaxPollInterval"] = "00:00:00.200",
            ["Queues:Pump:RetryDelay"] = "00:00:00.100",
            ["Queues:Pump:MaxRetryDelay"] = "00:00:00.500",
            ["Queues:Pump:MaxDeliveryCount"] = "3",
            ["Queues:Pump:ShutdownGrace"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
            // As locally: phone keys registered without a certificate get one from the demo authority.
            ["Signing:DemoAuthority:Pkcs12Path"] = Signing.TestDemoAuthority.Pkcs12Path,
            ["Signing:DemoAuthority:Pkcs12Password"] = Signing.TestDemoAuthority.Password,
        };
        var broker = transport == QueueTransportKind.ServiceBus ? await SharedServiceBus.GetAsync() : null;
        if (broker is not null)
        {
            configuration["Queues:Transport"] = nameof(QueueTransportKind.ServiceBus);
            configuration["ServiceBusConnection"] = broker.ConnectionString;
        }
        foreach (var (key, value) in settings ?? []) configuration[key] = value;
        // Instances given one prefix share their storage, as instances of one deployment do.
        prefix = configuration["Storage:Prefix"]!;

        var app = MotCuaApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            if (time is not null) builder.Services.AddSingleton(time);
            services?.Invoke(builder.Services);
        });
        // The app's queues exist before it starts, as the infrastructure template makes them in Azure.
        foreach (var queue in broker is null ? [] : app.Services.GetRequiredService<FunctionRegistry>().Queues) broker!.DeclareQueue(prefix + queue);
        await app.StartAsync();
        if (seed) await app.Services.GetRequiredService<DemoData>().SeedAsync(CancellationToken.None);
        return new TestApp(app, prefix, mode);
    }

    public string TokenFor(CurrentUser user) =>
        Services.GetRequiredService<LocalTokens>().Issue(user, TimeSpan.FromHours(1));

    public HttpRequestMessage Request(HttpMethod method, string path, CurrentUser? user, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (user is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(user));
        return request;
    }

    /// <summary>Every row of every table but the catalogue, every blob and every queued message of this app.</summary>
    public async Task<(int Rows, int Blobs)> CountWrittenAsync()
    {
        await SettledAsync();
        foreach (var queue in new[] { QueueNames.DocumentReceived, QueueNames.BlobCreated })
        {
            if (await QueuedAsync(queue) > 0) throw new Xunit.Sdk.XunitException($"A message was queued on {queue}.");
        }
        var rows = 0;
        // The catalogue is seeded data, and the member directory is written by signing in, not by the request's content.
        foreach (var table in Tables.All.Where(t => t.Name != Tables.Catalog.Name && t.Name != Tables.Members.Name))
        {
            // The outbox sweep's own bookkeeping is written by its timer, whatever the requests do.
            await foreach (var row in table.QueryAsync<TableEntity>()) if (!(table.Name == Tables.Outbox.Name && row.PartitionKey == "sweep")) rows++;
        }
        // Every container of the app (documents, results), but not the timers' lease blobs.
        var blobs = 0;
        var service = Services.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>();
        await foreach (var container in service.GetBlobContainersAsync(prefix: Prefix))
        {
            if (container.Name == Prefix + Hosting.StorageContainers.Locks) continue;
            await foreach (var _ in service.GetBlobContainerClient(container.Name).GetBlobsAsync()) blobs++;
        }
        return (rows, blobs);
    }

    /// <summary>
    /// Waits until what earlier requests set going has run: their dossiers' unsent messages are
    /// sent and the notification steps (dossiers' and incoming documents') have drained, so a count compares requests, not the
    /// background work of earlier ones. Only a standalone app runs those steps itself.
    /// </summary>
    public async Task SettledAsync()
    {
        if (Mode != HostingMode.Standalone) return;
        await Eventually.GetAsync(async () =>
        {
            var unsent = Tables.Dossiers.QueryAsync<TableEntity>(
                $"RowKey ge '{Dossiers.DossierRows.OutboxPrefix}' and RowKey lt '{Dossiers.DossierRows.OutboxPrefix[..^1]}.'", select: ["RowKey"]);
            await foreach (var _ in unsent) return null;
            foreach (var queue in new[] { QueueNames.DossierEvents, QueueNames.Notifications, QueueNames.PushDeliveries, MotCua.FunctionApp.Correspondence.Incoming.IncomingEvent.Queue })
                if (await QueuedAsync(queue) > 0) return null;
            return "";
        }, "the app's background steps to settle");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public static class Users
{
    public static readonly CurrentUser Citizen = DemoData.Users.Single(u => u.Role == Roles.Citizen);
    public static readonly CurrentUser OtherCitizen = new("citizen-999", "Hoàng Văn Nam", Roles.Citizen, null);
    public static readonly CurrentUser Clerk = DemoData.Users.Single(u => u.Role == Roles.Clerk);
    public static readonly CurrentUser OtherUnitClerk = new("clerk-777", "Vũ Thị Lan", Roles.Clerk, DemoData.CamLamCommune);
    public static readonly CurrentUser Specialist = DemoData.Users.Single(u => u.Id == "specialist-001");
    public static readonly CurrentUser Chairman = DemoData.Users.Single(u => u.Role == Roles.Chairman);
    public static readonly CurrentUser Admin = DemoData.Users.Single(u => u.Role == Roles.Admin);

    // Correspondence: the ward's records clerk, its chairman as leader, the deputy, a department head and officers.
    public static readonly CurrentUser RecordsClerk = DemoData.Users.Single(u => u.Id == "records-clerk-001");
    public static readonly CurrentUser OtherAgencyRecordsClerk = DemoData.Users.Single(u => u.Id == "records-clerk-002");
    public static readonly CurrentUser OtherAgencyLeader = DemoData.Users.Single(u => u.Id == "leader-002");
    public static readonly CurrentUser OtherAgencyOfficer = DemoData.Users.Single(u => u.Id == "officer-003");
    public static readonly CurrentUser Leader = Chairman;
    public static readonly CurrentUser Deputy = DemoData.Users.Single(u => u.Role == Roles.DeputyLeader);
    public static readonly CurrentUser DepartmentHead = DemoData.Users.Single(u => u.Role == Roles.DepartmentHead);
    public static readonly CurrentUser Officer = DemoData.Users.Single(u => u.Id == "officer-001");
    public static readonly CurrentUser OtherDepartmentOfficer = DemoData.Users.Single(u => u.Id == "officer-002");
}

public static class Eventually
{
    /// <summary>Polls until <paramref name="probe"/> returns a value, or fails after a generous limit (not a timing assertion).</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string what, int seconds = 30) where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException($"Gave up waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
