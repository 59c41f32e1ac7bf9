using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>The FCM HTTP v1 sender against a local server that keeps Google's token and messages:send contracts.</summary>
public sealed class FcmSenderTests : IAsyncLifetime
{
    private readonly WaitRecorder _waits = new();
    private FakeFcm _fcm = default!;
    private FcmSender _sender = default!;

    /// <summary>Records each pause the sender asks for and lets it pass at once, so backoff is checked without waiting.</summary>
    private sealed class WaitRecorder : TimeProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<TimeSpan> Waits { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime > TimeSpan.Zero) Waits.Enqueue(dueTime);
            return System.CreateTimer(callback, state, TimeSpan.Zero, period);
        }
    }

    public async Task InitializeAsync()
    {
        _fcm = await FakeFcm.StartAsync();
        var http = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        _sender = new FcmSender(Options.Create(new PushOptions
        {
            ServiceAccountJson = _fcm.ServiceAccountJson,
            BaseUrl = _fcm.BaseUrl,
            FirstRetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
            MaxAttempts = 4,
        }), http, _waits, NullLogger<FcmSender>.Instance);
    }

    public async Task DisposeAsync()
    {
        _sender.Dispose();
        await _fcm.DisposeAsync();
    }

    private static JsonObject Message(string token) => PushPayload.Message(token, new InboxEntity
    {
        PartitionKey = "citizen-001", RowKey = "0000000001-000.20.30.H56-261122-0001-s000003", Kind = NotificationKinds.Accepted,
        DossierCode = "000.20.30.H56-261122-0001", Title = "Hồ sơ đã được tiếp nhận", Body = "Đăng ký khai sinh", Status = 2,
    });

    [Fact]
    public async Task A_message_is_sent_with_a_service_account_token_and_string_data()
    {
        var result = await _sender.SendAsync(Message("device-token-aaaaaaaaaaaaaaaa"), CancellationToken.None);
        await _sender.SendAsync(Message("device-token-bbbbbbbbbbbbbbbb"), CancellationToken.None);

        Assert.Equal(PushOutcome.Sent, result.Outcome);
        Assert.Equal(1, _fcm.TokenRequests); // the access token is reused until it expires
        var push = _fcm.Accepted.First();
        Assert.Equal("device-token-aaaaaaaaaaaaaaaa", push.Token);
        Assert.Equal("motcua://dossiers/000.20.30.H56-261122-0001", push.Message["data"]!["deepLink"]!.GetValue<string>());
        Assert.Equal("2", push.Message["data"]!["status"]!.GetValue<string>());
        Assert.Equal("Hồ sơ đã được tiếp nhận", push.Message["notification"]!["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(404, "NOT_FOUND", "UNREGISTERED", null, PushOutcome.TokenRejected)]
    [InlineData(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", null, PushOutcome.TokenRejected)]
    [InlineData(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "message.token", PushOutcome.TokenRejected)]
    [InlineData(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "message.android.ttl", PushOutcome.Failed)]
    [InlineData(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", null, PushOutcome.Failed)]
    public async Task Refusals_say_whether_the_token_must_go(int status, string rpcStatus, string errorCode, string? field, PushOutcome expected)
    {
        _fcm.Script("device-token-cccccccccccccccc", FakeFcm.Error(status, rpcStatus, errorCode, field));

        var result = await _sender.SendAsync(Message("device-token-cccccccccccccccc"), CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(errorCode, result.Code);
        Assert.Equal(1, _fcm.SendRequests); // not retried
    }

    [Fact]
    public async Task Overload_and_outages_are_retried_honouring_retry_after()
    {
        _fcm.Script("device-token-dddddddddddddddd",
            FakeFcm.Error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", retryAfter: "1"),
            FakeFcm.Error(503, "UNAVAILABLE", "UNAVAILABLE"),
            FakeFcm.Error(500, "INTERNAL", "INTERNAL"));

        var result = await _sender.SendAsync(Message("device-token-dddddddddddddddd"), CancellationToken.None);

        Assert.Equal(PushOutcome.Sent, result.Outcome);
        Assert.Equal(4, _fcm.SendRequests);
        Assert.Single(_fcm.Accepted);
        var waits = _waits.Waits.ToArray();
        Assert.Equal(3, waits.Length);
        Assert.True(waits[0] >= TimeSpan.FromSeconds(1), $"the server asked for a second's pause, the sender waited {waits[0]}");
        Assert.All(waits[1..], w => Assert.True(w <= TimeSpan.FromSeconds(2), $"backoff {w} passes the cap"));
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_sender_holds_a_slot_goes_back_to_the_queue()
    {
        _fcm.Script("device-token-ffffffffffffffff", FakeFcm.Error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", retryAfter: "120"));

        var result = await _sender.SendAsync(Message("device-token-ffffffffffffffff"), CancellationToken.None);

        Assert.Equal(PushOutcome.Unavailable, result.Outcome);
        Assert.Equal(1, _fcm.SendRequests);
        Assert.Empty(_waits.Waits);
    }

    [Fact]
    public async Task An_unreachable_server_is_retried_then_reported_unavailable_not_thrown()
    {
        var http = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        // A port bound but not listening refuses every connection, and no other test can take it meanwhile.
        using var closed = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        closed.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)closed.LocalEndPoint!).Port;
        using var sender = new FcmSender(Options.Create(new PushOptions
        {
            ServiceAccountJson = _fcm.ServiceAccountJson, BaseUrl = $"http://127.0.0.1:{port}", MaxAttempts = 3, FirstRetryDelay = TimeSpan.FromMilliseconds(10),
        }), http, _waits, NullLogger<FcmSender>.Instance);

        var result = await sender.SendAsync(Message("device-token-gggggggggggggggg"), CancellationToken.None);

        Assert.Equal(PushOutcome.Unavailable, result.Outcome);
        Assert.Equal(2, _waits.Waits.Count);
    }

    [Fact]
    public async Task An_outage_longer_than_every_attempt_is_reported_unavailable()
    {
        _fcm.Script("device-token-eeeeeeeeeeeeeeee", Enumerable.Repeat(FakeFcm.Error(503, "UNAVAILABLE", "UNAVAILABLE"), 10).ToArray());

        var result = await _sender.SendAsync(Message("device-token-eeeeeeeeeeeeeeee"), CancellationToken.None);

        Assert.Equal(PushOutcome.Unavailable, result.Outcome);
        Assert.Equal(4, _fcm.SendRequests);
    }
}
