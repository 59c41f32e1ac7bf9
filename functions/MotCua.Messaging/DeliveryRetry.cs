namespace MotCua.Messaging;

/// <summary>What becomes of a delivered message once its handler has run.</summary>
public abstract record Settlement
{
    public sealed record Complete : Settlement;

    /// <summary>Stopping cancelled the handler: the message goes back for the next consumer at once.</summary>
    public sealed record HandBack : Settlement;

    public sealed record DeadLetter(string Reason, string Description) : Settlement;

    public sealed record RetryAfter(TimeSpan Delay) : Settlement;
}

/// <summary>How a handler's outcome is settled, alike on every transport.</summary>
public static class DeliveryRetry
{
    public static Settlement Settle(Exception? failure, CancellationToken handlerToken, int deliveryCount, MessagePumpOptions options) => failure switch
    {
        null => new Settlement.Complete(),
        OperationCanceledException when handlerToken.IsCancellationRequested => new Settlement.HandBack(),
        UnreadableMessageException => new Settlement.DeadLetter(UnreadableMessageException.Reason, failure.Message),
        _ when deliveryCount >= options.MaxDeliveryCount => new Settlement.DeadLetter(failure.GetType().Name, failure.Message),
        _ => new Settlement.RetryAfter(Delay(options, deliveryCount)),
    };

    /// <summary>The wait before the next delivery: doubling from the first delay up to the cap, with jitter.</summary>
    public static TimeSpan Delay(MessagePumpOptions options, int deliveryCount)
    {
        var exponential = options.RetryDelay.Ticks * Math.Pow(2, Math.Min(deliveryCount - 1, 20));
        var capped = Math.Min(exponential, options.MaxRetryDelay.Ticks);
        // Jitter spreads retries of a burst that failed together.
        return TimeSpan.FromTicks((long)(capped * (0.8 + Random.Shared.NextDouble() * 0.4)));
    }
}
