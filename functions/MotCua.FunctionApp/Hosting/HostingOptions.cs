namespace MotCua.FunctionApp.Hosting;

public enum HostingMode
{
    /// <summary>The app runs its own queue consumers, blob-created dispatch and timers.</summary>
    Standalone,

    /// <summary>The Azure Functions host owns triggers and invokes the app over HTTP.</summary>
    CustomHandler,
}

public sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary>Unset means: custom handler when the Functions host gave us a port, standalone otherwise.</summary>
    public HostingMode? Mode { get; set; }

    public static HostingMode Resolve(IConfiguration configuration)
    {
        var configured = configuration.GetSection(Section).Get<HostingOptions>()?.Mode;
        return configured ?? (string.IsNullOrEmpty(configuration["FUNCTIONS_CUSTOMHANDLER_PORT"])
            ? HostingMode.Standalone
            : HostingMode.CustomHandler);
    }
}
