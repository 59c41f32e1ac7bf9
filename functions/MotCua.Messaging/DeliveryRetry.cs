namespace MotCua.Messaging;

/// <summary>How long a failed message waits before its next delivery, alike on every transport.</summary>
public static class DeliveryRetry
{
    public static TimeSpan Delay(MessagePumpOptions options, int deliveryCount)
    {
        var exponential = options.RetryDelay.Ticks * Math.Pow(2, Math.Min(deliveryCount - 1, 20));
        var capped = Math.Min(exponential, options.MaxRetryDelay.Ticks);
        // Jitter spreads retries of a burst that failed together.
        return TimeSpan.FromTicks((long)(capped * (0.8 + Random.Shared.NextDouble() * 0.4)));
    }

    /// <summary>Why a failure ends here instead of being retried, or null when it is retried.</summary>
    public static string? DeadLetterReason(Exception failure, int deliveryCount, MessagePumpOptions options) => failure switch
    {
        UnreadableMessageException => UnreadableMessageException.Reason,
        _ when deliveryCount >= options.MaxDeliveryCount => failure.GetType().Name,
        _ => null,
    };
}
