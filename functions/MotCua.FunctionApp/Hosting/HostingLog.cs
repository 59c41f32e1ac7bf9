namespace MotCua.FunctionApp.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Error, "Invocation of {Function} failed")]
    public static partial void InvocationFailed(ILogger logger, string function, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Hosting mode {Mode}; {Count} functions declared")]
    public static partial void Started(ILogger logger, HostingMode mode, int count);

    [LoggerMessage(3, LogLevel.Error, "Timer function {Function} failed")]
    public static partial void TimerFailed(ILogger logger, string function, Exception exception);
}
