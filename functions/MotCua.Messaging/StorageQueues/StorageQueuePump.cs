using Microsoft.Extensions.Logging;

namespace MotCua.Messaging.StorageQueues;

/// <summary>
/// Consumes one storage queue: locks messages, runs the handler with bounded concurrency, renews the lock
/// while it runs, completes on success, retries with backoff on failure and dead-letters after
/// <see cref="MessagePumpOptions.MaxDeliveryCount"/>. On shutdown it stops receiving, lets in-flight
/// work finish within the grace period and hands back whatever did not.
/// </summary>
internal sealed class StorageQueuePump(
    StorageQueueTransport transport,
    string queue,
    Func<ReceivedMessage, CancellationToken, Task> handle,
    MessagePumpOptions options,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        using var handlersCancel = new CancellationTokenSource();
        using var slots = new SemaphoreSlim(options.MaxConcurrency);
        var inFlight = new HashSet<Task>();
        var idle = options.MinPollInterval;

        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await slots.WaitAsync(stopping);
                var free = 1;
                while (slots.CurrentCount > 0 && slots.Wait(0)) free++;

                // Taken before receiving, so a send between the receive and the wait is not missed.
                var sentHere = transport.NextSendHereAsync(queue);
                IReadOnlyList<LockedQueueMessage> batch;
                try
                {
                    batch = await transport.ReceiveAsync(queue, free, options.LockDuration, stopping);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    MessagingLog.ReceiveFailed(logger, queue, e);
                    batch = [];
                }
                if (free > batch.Count) slots.Release(free - batch.Count);

                if (batch.Count == 0)
                {
                    var woken = await Task.WhenAny(Task.Delay(idle, stopping), sentHere) == sentHere;
                    stopping.ThrowIfCancellationRequested();
                    idle = woken ? options.MinPollInterval : TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.MaxPollInterval.Ticks));
                    continue;
                }
                idle = options.MinPollInterval;

                foreach (var message in batch)
                {
                    var task = ProcessAsync(message, handlersCancel.Token);
                    lock (inFlight) inFlight.Add(task);
                    _ = task.ContinueWith(t =>
                    {
                        lock (inFlight) inFlight.Remove(t);
                        slots.Release();
                    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        Task[] remaining;
        lock (inFlight) remaining = [.. inFlight];
        var all = Task.WhenAll(remaining);
        if (await Task.WhenAny(all, Task.Delay(options.ShutdownGrace, CancellationToken.None)) != all)
        {
            await handlersCancel.CancelAsync();
        }
        await all;
    }

    private async Task ProcessAsync(LockedQueueMessage locked, CancellationToken handlerToken)
    {
        var message = locked.Message;
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(handlerToken);
        var current = locked;
        var renewer = RenewLockAsync(() => current, m => current = m, renewal.Token);
        Exception? failure = null;
        try
        {
            await handle(message, handlerToken);
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            await renewal.CancelAsync();
            await renewer;
        }

        try
        {
            switch (DeliveryRetry.Settle(failure, handlerToken, message.DeliveryCount, options))
            {
                case Settlement.Complete:
                    await transport.CompleteAsync(current, CancellationToken.None);
                    break;
                case Settlement.HandBack:
                    await transport.AbandonAsync(current, TimeSpan.Zero, CancellationToken.None);
                    MessagingLog.HandedBack(logger, queue, message.MessageId);
                    break;
                case Settlement.DeadLetter letter:
                    await transport.DeadLetterAsync(current, letter.Reason, letter.Description, CancellationToken.None);
                    MessagingLog.DeadLettered(logger, queue, message.MessageId, message.DeliveryCount, letter.Description, failure!);
                    break;
                case Settlement.RetryAfter retry:
                    await transport.AbandonAsync(current, retry.Delay, CancellationToken.None);
                    MessagingLog.Retrying(logger, queue, message.MessageId, message.DeliveryCount, retry.Delay, failure!);
                    break;
            }
        }
        catch (Exception e)
        {
            // The lock runs out and the message comes back: at-least-once holds without us.
            MessagingLog.SettleFailed(logger, queue, message.MessageId, e);
        }
    }

    private async Task RenewLockAsync(Func<LockedQueueMessage> current, Action<LockedQueueMessage> update, CancellationToken cancellationToken)
    {
        var every = options.LockDuration / 2;
        try
        {
            while (true)
            {
                await Task.Delay(every, cancellationToken);
                // Only the wait is cancelled: a renewal the server applied must not lose its new lock token.
                update(await transport.RenewLockAsync(current(), options.LockDuration, CancellationToken.None));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            MessagingLog.SettleFailed(logger, queue, current().Message.MessageId, e);
        }
    }
}
