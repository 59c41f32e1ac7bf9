namespace MotCua.FunctionApp.Correspondence.Exchange;

internal static partial class ExchangeLog
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Package {PackageId} sent through the exchange to {Recipients}")]
    public static partial void Sent(ILogger logger, string packageId, string recipients);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "{DocumentId} is not sent to {Recipient}: the exchange does not know that agency")]
    public static partial void UnknownRecipient(ILogger logger, string documentId, string recipient);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Delivery {DeliveryId} from {From} to {To} received")]
    public static partial void Received(ILogger logger, string deliveryId, string from, string to);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} from {From} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string deliveryId, string from, string reason);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Warning, Message = "The exchange cannot be pulled now: {Reason}")]
    public static partial void PullFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 9006, Level = LogLevel.Warning, Message = "Delivery {DeliveryId} is left for the next pull")]
    public static partial void ReceiveFailed(ILogger logger, string deliveryId, Exception exception);

    [LoggerMessage(EventId = 9007, Level = LogLevel.Information, Message = "Status {Code} from {From} applied to {DocumentId}")]
    public static partial void StatusApplied(ILogger logger, string documentId, string from, string code);

    [LoggerMessage(EventId = 9009, Level = LogLevel.Warning, Message = "Package {PackageId} waits {Wait} for the exchange: {Reason}")]
    public static partial void Deferred(ILogger logger, string packageId, TimeSpan wait, string reason);

    [LoggerMessage(EventId = 9008, Level = LogLevel.Warning, Message = "The exchange's agency list cannot be read ({Reason}); the last copy is used")]
    public static partial void DirectoryFromCopy(ILogger logger, string reason);
}
