namespace MotCua.FunctionApp.Hosting;

public static class HostingRegistration
{
    /// <summary>The function registry, and in standalone mode the pumps and timers that stand in for the Functions host's triggers.</summary>
    public static IServiceCollection AddFunctionHosting(this IServiceCollection services, HostingMode mode)
    {
        FunctionRegistry.Of(services);
        if (mode == HostingMode.Standalone)
        {
            services.AddHostedService<StandaloneQueueTriggers>();
            services.AddHostedService<StandaloneTimers>();
        }
        return services;
    }
}
