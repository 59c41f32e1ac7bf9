using System.Diagnostics;

namespace MotCua.FunctionApp.Observability;

/// <summary>The app's trace source. Consumers continue the trace the producer put in the message.</summary>
public static class Telemetry
{
    public const string SourceName = "MotCua";
    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartConsumer(string functionName, string? traceParent)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        return Source.StartActivity(functionName, ActivityKind.Consumer, parent);
    }

    public static string? CurrentTraceParent() => Activity.Current?.Id;
}
