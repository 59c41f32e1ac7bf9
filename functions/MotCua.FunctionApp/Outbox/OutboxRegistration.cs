using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Outbox;

public static class OutboxRegistration
{
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboxScans>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddTimerFunction<OutboxSweepFunction>(OutboxSweepFunction.Declaration);
        return services;
    }
}
