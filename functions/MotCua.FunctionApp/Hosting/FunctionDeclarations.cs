namespace MotCua.FunctionApp.Hosting;

/// <summary>What starts a function. Each kind maps to one Azure Functions binding type.</summary>
public abstract record FunctionTrigger;

/// <summary>
/// An HTTP route, forwarded as plain HTTP by the Functions host: an API route under <c>/api</c>, or with
/// <paramref name="Page"/> a page for people at the site's root (<c>/tra-cuu</c>). The host's route prefix is
/// empty, so <see cref="HostRoute"/> is the whole path both under the host and standalone (docs/decisions/0020).
/// </summary>
/// <param name="Route">The API route after <c>api/</c>, or a page's route from the root.</param>
public sealed record HttpTrigger(string Method, string Route, bool Anonymous = false, bool Page = false) : FunctionTrigger
{
    public const string ApiPrefix = "api/";

    /// <summary>The route from the site's root, as the Functions host matches it and the app maps it.</summary>
    public string HostRoute => Page ? Route : ApiPrefix + Route;
}

/// <summary>A processing step on a queue.</summary>
public sealed record QueueTrigger(string Queue) : FunctionTrigger;

/// <summary>A blob created in a container, delivered as an Event Grid event.</summary>
public sealed record BlobCreatedTrigger(string Container) : FunctionTrigger;

/// <summary>A six-field NCRONTAB schedule (with seconds), as the timer trigger uses.</summary>
public sealed record TimerTrigger(string Schedule) : FunctionTrigger;

public sealed record FunctionDeclaration(string Name, FunctionTrigger Trigger);
