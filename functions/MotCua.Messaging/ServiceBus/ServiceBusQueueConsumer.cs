using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;

namespace MotCua.Messaging.ServiceBus;

/// <summary>
/// Consumes one Service Bus queue with the client's processor: locks are renewed while a step runs,
/// and every message is settled here. Service Bus cannot delay an abandon, so a failed step is
/// re-sent scheduled for its retry time, carrying its delivery count, and the original completed;
/// a crash in between delivers it twice, which the steps tolerate. After the delivery limit, or at
/// once for a message no handler can read, it is dead-lettered with the failure as its reason.
/// </summary>
internal sealed class ServiceBusQueueConsumer(
    ServiceBusClient client,
    ServiceBusSender retries,
    string entity,
    string queue,
    Func<ReceivedMessage, CancellationToken, Task> handle,
    MessagePumpOptions options,
    TimeProvider time,
    ILogger logger)
{
    private const int MaxDescriptionLength = 1024;

    public async Task RunAsync(CancellationToken stopping)
    {
        using var handlersCancel = new CancellationTokenSource();
        await using var processor = client.CreateProcessor(entity, new ServiceBusProcessorOptions
        {
            AutoCompleteMessages = false,
            MaxConcurrentCalls = options.MaxConcurrency,
            MaxAutoLockRenewalDuration = options.MaxLockRenewal,
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
        });
        // The processor's own token is cancelled as soon as it stops; ours waits for the grace period.
        processor.ProcessMessageAsync += args => ProcessAsync(args, handlersCancel.Token);
        processor.ProcessErrorAsync += args =>
        {
            MessagingLog.ReceiveFailed(logger, queue, args.Exception);
            return Task.CompletedTask;
        };
        await processor.StartProcessingAsync(CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        handlersCancel.CancelAfter(options.ShutdownGrace);
        // Stops receiving and waits for the running steps, which finish or are handed back.
        await processor.StopProcessingAsync(CancellationToken.None);
    }

    private async Task ProcessAsync(ProcessMessageEventArgs args, CancellationToken handlerToken)
    {
        var message = ServiceBusMessages.ToReceived(queue, args.Message);
        Exception? failure = null;
        try
        {
            await handle(message, handlerToken);
        }
        catch (Exception e)
        {
            failure = e;
        }

        try
        {
            switch (DeliveryRetry.Settle(failure, handlerToken, message.DeliveryCount, options))
            {
                case Settlement.Complete:
                    await args.CompleteMessageAsync(args.Message, CancellationToken.None);
                    break;
                case Settlement.HandBack:
                    await args.AbandonMessageAsync(args.Message, cancellationToken: CancellationToken.None);
                    MessagingLog.HandedBack(logger, queue, message.MessageId);
                    break;
                case Settlement.DeadLetter letter:
                    await args.DeadLetterMessageAsync(args.Message, ServiceBusMessages.DeadLetterMarks(message.DeliveryCount, time.GetUtcNow()),
                        letter.Reason, Truncate(letter.Description), CancellationToken.None);
                    MessagingLog.DeadLettered(logger, queue, message.MessageId, message.DeliveryCount, letter.Description, failure!);
                    break;
                case Settlement.RetryAfter retry:
                    // Service Bus cannot delay an abandon: a copy waits scheduled, and the original is done.
                    await retries.SendMessageAsync(ServiceBusMessages.Retry(args.Message, message.DeliveryCount, time.GetUtcNow() + retry.Delay), CancellationToken.None);
                    await args.CompleteMessageAsync(args.Message, CancellationToken.None);
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

    private static string Truncate(string text) => text.Length <= MaxDescriptionLength ? text : text[..MaxDescriptionLength];
}
