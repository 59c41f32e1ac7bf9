using System.ComponentModel.DataAnnotations;

namespace MotCua.Messaging;

/// <summary>How a queue is consumed: concurrency, lock, retries and dead-lettering, polling, shutdown.</summary>
public sealed class MessagePumpOptions
{
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Deliveries before a failing message is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxDeliveryCount { get; set; } = 5;

    /// <summary>Storage queues: the visibility timeout each lock takes (renewed half-way). Service Bus queues have their own lock duration.</summary>
    public TimeSpan LockDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Service Bus: how long a running step's lock is renewed for at most.</summary>
    public TimeSpan MaxLockRenewal { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// First retry delay; doubles with each delivery, up to <see cref="MaxRetryDelay"/>. A storage queue
    /// message waits under its visibility timeout; a Service Bus message is re-sent scheduled for then.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Storage queues: the shortest wait between empty polls (Service Bus pushes).</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>On shutdown, how long in-flight messages may finish before they are handed back.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);
}
