namespace MotCua.FunctionApp.Hosting;

/// <summary>What starts a function. Each kind maps to one Azure Functions binding type.</summary>
public abstract record FunctionTrigger;

/// <summary>An HTTP route under <c>/api</c>, forwarded as plain HTTP by the Functions host.</summary>
public sealed record HttpTrigger(string Method, string Route, bool Anonymous = false) : FunctionTrigger;

/// <summary>A processing step on a queue.</summary>
public sealed record QueueTrigger(string Queue) : FunctionTrigger;

/// <summary>A blob created in a container, delivered as an Event Grid event.</summary>
public sealed record BlobCreatedTrigger(string Container) : FunctionTrigger;

/// <summary>A six-field NCRONTAB schedule (with seconds), as the timer trigger uses.</summary>
public sealed record TimerTrigger(string Schedule) : FunctionTrigger;

public sealed record FunctionDeclaration(string Name, FunctionTrigger Trigger);
