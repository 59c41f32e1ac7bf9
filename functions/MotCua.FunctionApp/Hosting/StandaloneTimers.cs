using Cronos;

namespace MotCua.FunctionApp.Hosting;

/// <summary>Standalone mode: runs timer-triggered functions on their NCRONTAB schedules.</summary>
public sealed class StandaloneTimers(IEnumerable<IFunctionHandler> handlers, TimeProvider time, ILogger<StandaloneTimers> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(handlers
            .Where(h => h.Function.Trigger is TimerTrigger)
            .Select(h => Task.Run(() => RunAsync(h, ((TimerTrigger)h.Function.Trigger).Schedule, stoppingToken), CancellationToken.None)));

    private async Task RunAsync(IFunctionHandler handler, string schedule, CancellationToken stoppingToken)
    {
        var cron = CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        DateTimeOffset? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = cron.GetNextOccurrence(time.GetUtcNow(), TimeZoneInfo.Utc);
            if (next is null) return;
            try
            {
                await Task.Delay(next.Value - time.GetUtcNow() is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, time, stoppingToken);
                await handler.InvokeAsync(StandaloneInvocations.ForTimer(handler.Function.Name, schedule, last, next.Value, time.GetUtcNow()), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                HostingLog.TimerFailed(logger, handler.Function.Name, e);
            }
            last = next;
        }
    }
}
