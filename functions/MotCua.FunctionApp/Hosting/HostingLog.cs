namespace MotCua.FunctionApp.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Error, "Invocation of {Function} failed")]
    public static partial void InvocationFailed(ILogger logger, string function, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Hosting mode {Mode}; {Count} functions declared")]
    public static partial void Started(ILogger logger, HostingMode mode, int count);

    [LoggerMessage(3, LogLevel.Error, "Timer function {Function} failed")]
    public static partial void TimerFailed(ILogger logger, string function, Exception exception);

    [LoggerMessage(4, LogLevel.Debug, "{Function}: an event that is not a blob creation, ignored")]
    public static partial void EventIgnored(ILogger logger, string function);

    [LoggerMessage(5, LogLevel.Debug, "Timer function {Function}: the occurrence at {Occurrence} runs on another instance")]
    public static partial void OccurrenceTaken(ILogger logger, string function, DateTimeOffset occurrence);
}
