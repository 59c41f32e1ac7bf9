using Microsoft.Extensions.Logging;

namespace MotCua.Messaging.ServiceBus;

internal static partial class AmqpLog
{
    [LoggerMessage(20, LogLevel.Information, "Connected to {Host} again")]
    public static partial void Reconnected(ILogger logger, string host);

    [LoggerMessage(21, LogLevel.Warning, "Putting a fresh token on {Host} failed")]
    public static partial void TokenRenewalFailed(ILogger logger, string host, Exception exception);

    [LoggerMessage(22, LogLevel.Warning, "Message {MessageId} on {Queue} could not be given back after its retry delay; the broker will deliver it again")]
    public static partial void DelayedAbandonFailed(ILogger logger, string queue, string messageId, Exception exception);
}
