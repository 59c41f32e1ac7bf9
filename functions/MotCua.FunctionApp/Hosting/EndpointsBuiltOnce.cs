using Microsoft.Extensions.Primitives;

namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// The app's endpoints, built once and in the background. A route data source builds every endpoint (each
/// handler's request delegate compiled from its signature) each time it is asked, and it is asked twice: by
/// the authorization policy cache as the pipeline is built, and by routing on the first request. Wrapped in
/// this, both share one build, which starts as soon as the app is mapped, alongside the host's start.
/// </summary>
internal sealed class EndpointsBuiltOnce : EndpointDataSource
{
    private readonly EndpointDataSource _inner;
    private readonly Lazy<IReadOnlyList<Endpoint>> _endpoints;

    private EndpointsBuiltOnce(EndpointDataSource inner)
    {
        _inner = inner;
        _endpoints = new(() => inner.Endpoints, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public override IReadOnlyList<Endpoint> Endpoints => _endpoints.Value;

    public override IChangeToken GetChangeToken() => _inner.GetChangeToken();

    /// <summary>Wraps the data sources mapped so far and starts building their endpoints.</summary>
    public static void Wrap(IEndpointRouteBuilder app)
    {
        var wrapped = app.DataSources.Select(s => new EndpointsBuiltOnce(s)).ToList();
        app.DataSources.Clear();
        foreach (var source in wrapped) app.DataSources.Add(source);
        // A failure is not lost: the lazy value keeps it and the pipeline's build meets it, as it would have.
        _ = Task.Run(() =>
        {
            try
            {
                foreach (var source in wrapped) _ = source.Endpoints;
            }
            catch (Exception)
            {
                // Met again where the endpoints are read.
            }
        });
    }
}
