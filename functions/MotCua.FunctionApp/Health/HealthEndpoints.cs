using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Health;

public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>Healthy when the tables and the documents container answer.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapFunction("Health", new HttpTrigger("GET", "health", Anonymous: true), CheckAsync).Produces<HealthReport>(503)
            .WithSummary("Check the app's health")
            .WithDescription("Whether the tables and the documents container answer: 200 with each check's result when both do, 503 with the same report when one does not. No sign-in.");
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> CheckAsync(
        MotCuaTables tables, BlobContainerClient documents, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var checks = new Dictionary<string, string>
        {
            ["tables"] = await Probe(async ct => { await foreach (var _ in tables.Dossiers.QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, cancellationToken: ct).AsPages()) break; }, timeout.Token),
            ["blobs"] = await Probe(async ct => { if (!await documents.ExistsAsync(ct)) throw new InvalidOperationException("missing container"); }, timeout.Token),
        };
        var report = new HealthReport(checks.Values.All(v => v == "ok") ? "healthy" : "unhealthy", checks);
        return report.Status == "healthy" ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: 503);
    }

    private static async Task<string> Probe(Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        try
        {
            await probe(cancellationToken);
            return "ok";
        }
        catch (Exception e) when (e is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            return $"failed: {e.GetType().Name}";
        }
    }
}
