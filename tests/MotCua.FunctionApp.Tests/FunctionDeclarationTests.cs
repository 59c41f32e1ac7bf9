using MotCua.FunctionApp.Storage;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cronos;
using Microsoft.AspNetCore.Routing;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class FunctionDeclarationTests
{
    [Fact]
    public async Task EveryDeclaredFunction_IsMappedOrInvocable()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, seed: false);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var registry = app.Services.GetRequiredService<FunctionRegistry>();

        Assert.Equal(registry.All.Count, registry.All.Select(f => f.Name).Distinct().Count());
        foreach (var function in registry.All)
        {
            if (function.Trigger is HttpTrigger http)
            {
                var endpoint = Assert.Single(endpoints, e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == function.Name);
                Assert.Equal("/" + http.HostRoute, endpoint.RoutePattern.RawText);
                // An API function's route starts with api/ and a page's does not, so the API's addresses stay where they were.
                Assert.Equal(!http.Page, http.HostRoute.StartsWith("api/", StringComparison.Ordinal));
                Assert.Contains(http.Method, endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods);
            }
            else
            {
                Assert.Single(registry.Triggered, t => t.Declaration == function);
                Assert.Single(endpoints, e => e.RoutePattern.RawText == "/" + function.Name);
            }
        }
        Assert.All(registry.Triggered, t => Assert.Contains(t.Declaration, registry.All));
        // Every endpoint under /api is a declared function.
        Assert.All(endpoints.Where(e => e.RoutePattern.RawText!.StartsWith("/api/", StringComparison.Ordinal)),
            e => Assert.Contains(e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, registry.All.Select(f => f.Name)));
    }

    [Fact]
    public async Task QueuesCreatedAndListedForDeadLetters_AreTheQueueFunctionsQueues()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, seed: false);
        var registry = app.Services.GetRequiredService<FunctionRegistry>();
        var queues = registry.Triggered.OfType<QueueFunction>().Select(q => q.Queue).Append(QueueNames.BlobCreated).Order().ToList();
        Assert.Equal(queues, registry.Queues.Order());
        foreach (var queue in queues) Assert.Equal(0, await app.QueuedAsync(queue));
    }

    [Fact]
    public void PumpRetries_AgreeWithTheFunctionsHostsQueueSettings()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "host.json")))!["extensions"]!["queues"]!;
        var pump = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "functions", "MotCua.FunctionApp", "appsettings.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!["Queues"]!["Pump"]!;
        Assert.Equal((int)host["maxDequeueCount"]!, (int)pump["MaxDeliveryCount"]!);
        // The host makes a failed message visible again after visibilityTimeout, every time: the pump waits as long.
        var visibility = TimeSpan.Parse((string)host["visibilityTimeout"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(visibility, TimeSpan.Parse((string)pump["RetryDelay"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(visibility, TimeSpan.Parse((string)pump["MaxRetryDelay"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task GeneratedFunctionJson_HasTheDocumentedBindingShapes()
    {
        var all = await DeclaredAsync();
        var output = Directory.CreateTempSubdirectory("motcua-functions-").FullName;
        FunctionJsonGenerator.Write(output, Path.Combine(RepositoryRoot.Path, "host.json"), all);

        Assert.Equal(all.Select(f => f.Name).Order(), Directory.GetDirectories(output).Select(Path.GetFileName).Order()!);
        foreach (var function in all)
        {
            var bindings = JsonNode.Parse(File.ReadAllText(Path.Combine(output, function.Name, "function.json")))!["bindings"]!.AsArray();
            var trigger = bindings[0]!;
            Assert.Equal("in", (string?)trigger["direction"]);
            switch (function.Trigger)
            {
                case HttpTrigger http:
                    Assert.Equal("httpTrigger", (string?)trigger["type"]);
                    Assert.Equal(http.HostRoute, (string?)trigger["route"]);
                    Assert.Equal([http.Method.ToLowerInvariant()], trigger["methods"]!.AsArray().Select(m => (string?)m));
                    Assert.Contains((string?)trigger["authLevel"], new[] { "anonymous", "function", "admin" });
                    // Forwarding needs exactly one HTTP trigger and one HTTP output.
                    Assert.Equal(2, bindings.Count);
                    Assert.Equal("http", (string?)bindings[1]!["type"]);
                    Assert.Equal("out", (string?)bindings[1]!["direction"]);
                    break;
                case QueueTrigger queue:
                    Assert.Equal("queueTrigger", (string?)trigger["type"]);
                    Assert.Equal(queue.Queue, (string?)trigger["queueName"]);
                    Assert.Equal("AzureWebJobsStorage", (string?)trigger["connection"]);
                    Assert.Equal(TriggerBindings.Queue, (string?)trigger["name"]);
                    break;
                case BlobCreatedTrigger:
                    Assert.Equal("eventGridTrigger", (string?)trigger["type"]);
                    Assert.Equal(TriggerBindings.EventGrid, (string?)trigger["name"]);
                    break;
                case TimerTrigger timer:
                    Assert.Equal("timerTrigger", (string?)trigger["type"]);
                    Assert.Equal(timer.Schedule, (string?)trigger["schedule"]);
                    CronExpression.Parse(timer.Schedule, CronFormat.IncludeSeconds);
                    break;
                default:
                    Assert.Fail($"{function.Name} has an unknown trigger.");
                    break;
            }
        }

        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "host.json")))!;
        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", (string?)host["extensionBundle"]!["id"]);
        Assert.Equal("[4.*, 5.0.0)", (string?)host["extensionBundle"]!["version"]);
        Assert.True((bool)host["customHandler"]!["enableForwardingHttpRequest"]!);
        Assert.False(string.IsNullOrEmpty((string?)host["customHandler"]!["description"]!["defaultExecutablePath"]));
        Assert.Equal("base64", (string?)host["extensions"]!["queues"]!["messageEncoding"]);
        // Pages sit at the root (/tra-cuu), so the host adds no prefix: each API function's route carries its own api/.
        Assert.Equal("", (string?)host["extensions"]!["http"]!["routePrefix"]);
        Assert.Contains(all, f => f.Trigger is HttpTrigger { Page: true });
    }

    [Fact]
    public async Task GeneratedFunctionJson_ForServiceBus_BindsEveryQueueTriggerToItsQueue()
    {
        var all = await DeclaredAsync();
        var output = Directory.CreateTempSubdirectory("motcua-functions-").FullName;
        FunctionJsonGenerator.Write(output, Path.Combine(RepositoryRoot.Path, "host.json"), all, QueueTransportKind.ServiceBus);

        var queueFunctions = all.Where(f => f.Trigger is QueueTrigger).ToList();
        Assert.NotEmpty(queueFunctions);
        foreach (var function in all)
        {
            var trigger = JsonNode.Parse(File.ReadAllText(Path.Combine(output, function.Name, "function.json")))!["bindings"]![0]!;
            if (function.Trigger is not QueueTrigger queue)
            {
                Assert.NotEqual("serviceBusTrigger", (string?)trigger["type"]);
                continue;
            }
            // The documented serviceBusTrigger shape: type, direction, name, queueName, connection (an app setting's name).
            Assert.Equal("serviceBusTrigger", (string?)trigger["type"]);
            Assert.Equal("in", (string?)trigger["direction"]);
            Assert.Equal(TriggerBindings.Queue, (string?)trigger["name"]);
            Assert.Equal(queue.Queue, (string?)trigger["queueName"]);
            Assert.Equal("ServiceBusConnection", (string?)trigger["connection"]);
            Assert.False((bool)trigger["isSessionsEnabled"]!);
        }
    }

    [Fact]
    public async Task OpenApiDocument_MatchesTheCommittedContract()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, seed: false);
        var generated = Normalize(await app.Http.GetStringAsync("/openapi/v1.json"));
        var committedPath = Path.Combine(RepositoryRoot.Path, "mobile-contracts", "openapi.json");
        if (Environment.GetEnvironmentVariable("MOTCUA_UPDATE_CONTRACTS") == "1") await File.WriteAllTextAsync(committedPath, generated);

        Assert.True(File.Exists(committedPath), "mobile-contracts/openapi.json is missing: run the tests with MOTCUA_UPDATE_CONTRACTS=1.");
        Assert.Equal(Normalize(await File.ReadAllTextAsync(committedPath)), generated);
    }

    private static async Task<IReadOnlyList<FunctionDeclaration>> DeclaredAsync()
    {
        await using var app = await TestApp.StartAsync(HostingMode.CustomHandler, seed: false);
        return [.. app.Services.GetRequiredService<FunctionRegistry>().All];
    }

    private static string Normalize(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
}
