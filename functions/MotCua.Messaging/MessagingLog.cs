using Microsoft.Extensions.Logging;

namespace MotCua.Messaging;

internal static partial class MessagingLog
{
    [LoggerMessage(1, LogLevel.Warning, "Message {MessageId} on {Queue} failed (delivery {DeliveryCount}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string queue, string messageId, int deliveryCount, TimeSpan delay, Exception exception);

    [LoggerMessage(2, LogLevel.Error, "Message {MessageId} on {Queue} dead-lettered after {DeliveryCount} deliveries: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string queue, string messageId, int deliveryCount, string reason, Exception exception);

    [LoggerMessage(3, LogLevel.Information, "Message {MessageId} on {Queue} handed back at shutdown")]
    public static partial void HandedBack(ILogger logger, string queue, string messageId);

    [LoggerMessage(4, LogLevel.Warning, "Receiving from {Queue} failed; trying again")]
    public static partial void ReceiveFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Settling message {MessageId} on {Queue} failed; it will be delivered again")]
    public static partial void SettleFailed(ILogger logger, string queue, string messageId, Exception exception);
}
