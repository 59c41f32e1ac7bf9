using Azure.Messaging.ServiceBus;
using MotCua.FunctionApp.Tests.Infrastructure;
using MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// The local Service Bus peer, driven only through the official client (ServiceBusClient,
/// ServiceBusSender, ServiceBusReceiver, ServiceBusProcessor): what the client sees must be what
/// Azure Service Bus's documented protocol gives it.
/// </summary>
public sealed class ServiceBusPeerTests : IAsyncLifetime
{
    private const string Queue = "steps";
    private const string ShortLockQueue = "short-lock";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly LocalServiceBus _bus = new LocalServiceBus()
        .DeclareQueue(Queue)
        .DeclareQueue(ShortLockQueue, maxDeliveryCount: 2, lockDuration: TimeSpan.FromSeconds(2));

    private readonly List<ServiceBusClient> _clients = [];

    public Task InitializeAsync() => _bus.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        await _bus.DisposeAsync();
    }

    private ServiceBusClient Client(string? connectionString = null, int maxRetries = 5)
    {
        var client = new ServiceBusClient(connectionString ?? _bus.ConnectionString, new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions
            {
                Mode = ServiceBusRetryMode.Fixed,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxRetries = maxRetries,
                TryTimeout = TimeSpan.FromSeconds(10),
            },
        });
        _clients.Add(client);
        return client;
    }

    private static async Task<ServiceBusReceivedMessage> ReceiveAsync(ServiceBusReceiver receiver) =>
        await receiver.ReceiveMessageAsync(Wait) ?? throw new Xunit.Sdk.XunitException($"No message arrived on {receiver.EntityPath}.");

    private int IndexOf(string kind, string? detail = null) =>
        _bus.Events.ToList().FindIndex(e => e.Kind == kind && (detail is null || e.Detail == detail));

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        await Eventually.GetAsync(() => Task.FromResult(condition() ? what : null), what);
    }

    [Fact]
    public async Task SendReceiveComplete_RoundTrip_CarriesIdsSubjectCorrelationAndProperties()
    {
        var client = Client();
        var message = new ServiceBusMessage(BinaryData.FromString("hồ sơ HS-1"))
        {
            MessageId = "m-1",
            Subject = "dossier-submitted",
            CorrelationId = "corr-1",
            ContentType = "application/json",
            ApplicationProperties = { ["dossier"] = "HS-1", ["attempt"] = 1 },
        };
        await client.CreateSender(Queue).SendMessageAsync(message);
        var receiver = client.CreateReceiver(Queue);

        var received = await ReceiveAsync(receiver);

        Assert.Equal("m-1", received.MessageId);
        Assert.Equal("dossier-submitted", received.Subject);
        Assert.Equal("corr-1", received.CorrelationId);
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal("hồ sơ HS-1", received.Body.ToString());
        Assert.Equal("HS-1", received.ApplicationProperties["dossier"]);
        Assert.Equal(1, received.ApplicationProperties["attempt"]);
        Assert.Equal(1, received.DeliveryCount);
        Assert.True(received.SequenceNumber > 0);
        Assert.NotEqual(Guid.Empty, Guid.Parse(received.LockToken));
        Assert.True(received.LockedUntil > received.EnqueuedTime, $"locked until {received.LockedUntil:O}, enqueued {received.EnqueuedTime:O}");
        Assert.Equal(new QueueCounts(0, 1, 0, 0, 0), _bus.Counts(Queue));

        await receiver.CompleteMessageAsync(received);

        Assert.Equal(new QueueCounts(0, 0, 0, 0, 0), _bus.Counts(Queue));
        Assert.True(IndexOf("completed", "m-1") >= 0);
    }

    [Fact]
    public async Task Abandon_MessageComesBack_WithDeliveryCountIncreased()
    {
        var client = Client();
        await client.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m-abandon" });
        var receiver = client.CreateReceiver(Queue);

        var first = await ReceiveAsync(receiver);
        await receiver.AbandonMessageAsync(first, new Dictionary<string, object> { ["note"] = "retry" });
        var second = await ReceiveAsync(receiver);

        Assert.Equal("m-abandon", second.MessageId);
        Assert.Equal(1, first.DeliveryCount);
        Assert.Equal(2, second.DeliveryCount);
        Assert.Equal("retry", second.ApplicationProperties["note"]);
        Assert.NotEqual(first.LockToken, second.LockToken);
        await receiver.CompleteMessageAsync(second);
    }

    [Fact]
    public async Task DeadLetter_ReasonDescriptionAndModifiedProperties_AreReadBackFromTheSubQueue()
    {
        var client = Client();
        await client.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m-dead" });
        var receiver = client.CreateReceiver(Queue);
        var received = await ReceiveAsync(receiver);

        await receiver.DeadLetterMessageAsync(received, new Dictionary<string, object> { ["step"] = "intake" }, "Unreadable", "The form cannot be parsed.");

        Assert.Equal(new QueueCounts(0, 0, 0, 0, 1), _bus.Counts(Queue));
        var deadLetters = client.CreateReceiver(Queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        var peeked = await deadLetters.PeekMessageAsync();
        Assert.NotNull(peeked);
        Assert.Equal("Unreadable", peeked.DeadLetterReason);
        var dead = await ReceiveAsync(deadLetters);
        Assert.Equal("m-dead", dead.MessageId);
        Assert.Equal("Unreadable", dead.DeadLetterReason);
        Assert.Equal("The form cannot be parsed.", dead.DeadLetterErrorDescription);
        Assert.Equal("intake", dead.ApplicationProperties["step"]);
        Assert.Equal(Queue, dead.DeadLetterSource);
        await deadLetters.CompleteMessageAsync(dead);
        Assert.Equal(new QueueCounts(0, 0, 0, 0, 0), _bus.Counts(Queue));
    }

    [Fact]
    public async Task RenewLock_ExtendsTheLock_AndHappensBeforeCompletion()
    {
        var client = Client();
        await client.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m-renew" });
        var receiver = client.CreateReceiver(Queue);
        var received = await ReceiveAsync(receiver);
        var lockedUntil = received.LockedUntil;
        await Task.Delay(TimeSpan.FromMilliseconds(1100));

        await receiver.RenewMessageLockAsync(received);
        await receiver.CompleteMessageAsync(received);

        Assert.True(received.LockedUntil > lockedUntil, $"renewed to {received.LockedUntil:O}, was {lockedUntil:O}");
        var renewed = IndexOf("lock-renewed", "m-renew");
        var completed = IndexOf("completed", "m-renew");
        Assert.True(renewed >= 0, "the lock was never renewed");
        Assert.True(completed >= 0, "the message was never completed");
        Assert.True(renewed < completed, $"renewal at {renewed}, completion at {completed}");
    }

    [Fact]
    public async Task ScheduledMessage_IsHeldBack_CanBeCancelled_AndADueOneArrives()
    {
        var client = Client();
        var sender = client.CreateSender(Queue);
        var later = await sender.ScheduleMessageAsync(new ServiceBusMessage("later") { MessageId = "m-later" }, DateTimeOffset.UtcNow.AddHours(1));
        await sender.SendMessageAsync(new ServiceBusMessage("soon") { MessageId = "m-soon", ScheduledEnqueueTime = DateTimeOffset.UtcNow.AddSeconds(1) });

        Assert.Equal(2, _bus.Counts(Queue).Scheduled);
        var peeked = await client.CreateReceiver(Queue).PeekMessagesAsync(10);
        Assert.Contains(peeked, m => m.MessageId == "m-later" && m.SequenceNumber == later);

        await sender.CancelScheduledMessageAsync(later);
        var receiver = client.CreateReceiver(Queue);
        var soon = await ReceiveAsync(receiver);

        Assert.Equal("m-soon", soon.MessageId);
        Assert.True(IndexOf("schedule-cancelled", "m-later") >= 0);
        await receiver.CompleteMessageAsync(soon);
        Assert.Equal(new QueueCounts(0, 0, 0, 0, 0), _bus.Counts(Queue));
    }

    [Fact]
    public async Task Peek_ReturnsMessagesInOrder_WithoutLockingThem()
    {
        var client = Client();
        await client.CreateSender(Queue).SendMessagesAsync(new[] { "a", "b", "c" }.Select(id => new ServiceBusMessage(id) { MessageId = id }));

        var peeked = await client.CreateReceiver(Queue).PeekMessagesAsync(10);

        Assert.Equal(["a", "b", "c"], peeked.Select(m => m.MessageId));
        Assert.True(peeked[0].SequenceNumber < peeked[1].SequenceNumber && peeked[1].SequenceNumber < peeked[2].SequenceNumber);
        Assert.Equal(new QueueCounts(3, 0, 0, 0, 0), _bus.Counts(Queue));
    }

    [Fact]
    public async Task ReceiveAndDelete_WithPrefetch_TakesABatch_WithoutLocks()
    {
        var client = Client();
        await client.CreateSender(Queue).SendMessagesAsync(new[] { "r1", "r2", "r3" }.Select(id => new ServiceBusMessage(id) { MessageId = id }));
        var receiver = client.CreateReceiver(Queue, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.ReceiveAndDelete, PrefetchCount = 10 });

        var received = new List<ServiceBusReceivedMessage>();
        while (received.Count < 3)
        {
            var batch = await receiver.ReceiveMessagesAsync(3, Wait);
            Assert.NotEmpty(batch);
            received.AddRange(batch);
        }

        Assert.Equal(["r1", "r2", "r3"], received.Select(m => m.MessageId));
        Assert.Equal(new QueueCounts(0, 0, 0, 0, 0), _bus.Counts(Queue));
        Assert.Equal(3, _bus.Events.Count(e => e.Kind == "received-and-deleted"));
    }

    [Fact]
    public async Task WrongKey_IsRefused_AndNothingIsEnqueued()
    {
        var wrongKey = Convert.ToBase64String(new byte[32]);
        var client = Client(_bus.ConnectionStringWithKey(wrongKey), maxRetries: 0);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x")));

        Assert.IsType<UnauthorizedAccessException>(refused);
        Assert.True(IndexOf("token-refused") >= 0);
        Assert.Equal(-1, IndexOf("token-put"));
        Assert.Equal(new QueueCounts(0, 0, 0, 0, 0), _bus.Counts(Queue));
    }

    [Fact]
    public async Task SignatureForAnotherQueue_IsRefused_WhileTheSameSignatureForThisQueueIsAccepted()
    {
        var forOther = Client(SignatureConnectionString("other-queue"), maxRetries: 0);
        var forThis = Client(SignatureConnectionString(Queue), maxRetries: 0);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => forOther.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x")));
        await forThis.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m-signed" });

        Assert.True(IndexOf("token-refused") >= 0);
        Assert.True(IndexOf("sent", "m-signed") >= 0);
        Assert.Equal(1, _bus.Counts(Queue).Active);
    }

    /// <summary>A SharedAccessSignature made with the namespace key for one resource, as a connection string carries it.</summary>
    private string SignatureConnectionString(string entity)
    {
        var resource = System.Net.WebUtility.UrlEncode($"amqps://127.0.0.1/{entity}");
        var expiry = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(_bus.Key), System.Text.Encoding.UTF8.GetBytes($"{resource}\n{expiry}")));
        var token = $"SharedAccessSignature sr={resource}&sig={System.Net.WebUtility.UrlEncode(signature)}&se={expiry}&skn={LocalServiceBus.KeyName}";
        return $"Endpoint=sb://127.0.0.1:{_bus.Port};SharedAccessSignature={token};UseDevelopmentEmulator=true";
    }

    [Fact]
    public async Task Defer_SetsTheMessageAside_OutOfTheActiveQueue()
    {
        var client = Client();
        await client.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m-defer" });
        var receiver = client.CreateReceiver(Queue);
        var received = await ReceiveAsync(receiver);

        await receiver.DeferMessageAsync(received);

        Assert.Equal(new QueueCounts(0, 0, 0, 1, 0), _bus.Counts(Queue));
        Assert.True(IndexOf("deferred", "m-defer") >= 0);
    }

    [Fact]
    public async Task UnknownQueue_IsRefused_AsMessagingEntityNotFound()
    {
        var client = Client(maxRetries: 0);

        var refused = await Assert.ThrowsAsync<ServiceBusException>(() => client.CreateSender("no-such-queue").SendMessageAsync(new ServiceBusMessage("x")));

        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, refused.Reason);
        Assert.True(IndexOf("attach-refused", "amqp:not-found") >= 0);
    }

    [Fact]
    public async Task LockExpiry_Redelivers_ThenDeadLettersPastMaxDeliveryCount()
    {
        var client = Client();
        await client.CreateSender(ShortLockQueue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m-expire" });
        var receiver = client.CreateReceiver(ShortLockQueue);

        var first = await ReceiveAsync(receiver);
        var second = await ReceiveAsync(receiver);
        var lockLost = await Assert.ThrowsAsync<ServiceBusException>(() => receiver.CompleteMessageAsync(first));
        await WaitUntilAsync(() => _bus.Counts(ShortLockQueue).DeadLettered == 1, "the message dead-lettered after its second lock expired");

        Assert.Equal(ServiceBusFailureReason.MessageLockLost, lockLost.Reason);
        Assert.Equal(1, first.DeliveryCount);
        Assert.Equal(2, second.DeliveryCount);
        var dead = await ReceiveAsync(client.CreateReceiver(ShortLockQueue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter }));
        Assert.Equal("m-expire", dead.MessageId);
        Assert.Equal("MaxDeliveryCountExceeded", dead.DeadLetterReason);
    }

    [Fact]
    public async Task Processor_WithoutAutoComplete_RenewsTheLockWhileTheHandlerWorks()
    {
        var client = Client();
        await client.CreateSender(ShortLockQueue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m-processor" });
        var handled = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var processor = client.CreateProcessor(ShortLockQueue, new ServiceBusProcessorOptions
        {
            AutoCompleteMessages = false,
            MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(1),
            PrefetchCount = 5,
        });
        processor.ProcessMessageAsync += async args =>
        {
            // Work past the first lock's end: only the processor's renewal keeps the lock.
            var firstLockEnds = args.Message.LockedUntil;
            await WaitUntilAsync(() => DateTimeOffset.UtcNow > firstLockEnds.AddSeconds(1) || IndexOf("lock-expired") >= 0, "the first lock's end");
            await args.CompleteMessageAsync(args.Message, args.CancellationToken);
            handled.TrySetResult(args.Message.DeliveryCount);
        };
        processor.ProcessErrorAsync += args =>
        {
            handled.TrySetException(args.Exception);
            return Task.CompletedTask;
        };

        await processor.StartProcessingAsync();
        var deliveryCount = await handled.Task.WaitAsync(Wait);
        await processor.StopProcessingAsync();

        Assert.Equal(1, deliveryCount);
        Assert.Equal(-1, IndexOf("lock-expired"));
        var renewed = IndexOf("lock-renewed", "m-processor");
        var completed = IndexOf("completed", "m-processor");
        Assert.True(renewed >= 0 && completed >= 0 && renewed < completed, $"renewal at {renewed}, completion at {completed}");
        Assert.Equal(new QueueCounts(0, 0, 0, 0, 0), _bus.Counts(ShortLockQueue));
    }

    [Fact]
    public async Task PeerStopAndStart_MidFlow_ClientReconnects_SettlesTheHeldLock_AndDelivers()
    {
        var client = Client();
        var sender = client.CreateSender(Queue);
        var receiver = client.CreateReceiver(Queue);
        await sender.SendMessageAsync(new ServiceBusMessage("before") { MessageId = "m-before" });
        var held = await ReceiveAsync(receiver);

        await _bus.StopAsync();
        Assert.True(IndexOf("connection-dropped") >= 0, "no connection was dropped");
        await _bus.StartAsync();
        await sender.SendMessageAsync(new ServiceBusMessage("after") { MessageId = "m-after" });
        await receiver.CompleteMessageAsync(held);
        var after = await ReceiveAsync(receiver);
        await receiver.CompleteMessageAsync(after);

        Assert.Equal("m-after", after.MessageId);
        // The link that delivered the held message is gone, so the client settles it through the management node.
        Assert.True(IndexOf("update-disposition", "completed") >= 0, "the held message was not settled through update-disposition");
        Assert.True(IndexOf("completed", "m-before") >= 0);
        Assert.True(IndexOf("completed", "m-after") >= 0);
        Assert.Equal(new QueueCounts(0, 0, 0, 0, 0), _bus.Counts(Queue));
    }
}
