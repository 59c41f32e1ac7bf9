using System.Text.Json;
using System.Text.Json.Nodes;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// Writes a function folder with <c>function.json</c> for every declared function, next to a copy
/// of <c>host.json</c>, so the Functions host sees exactly what the code declares.
/// </summary>
public static class FunctionJsonGenerator
{
    public const string StorageConnection = "AzureWebJobsStorage";

    /// <summary>The app setting that holds the Service Bus connection string (or <c>__fullyQualifiedNamespace</c> for a managed identity).</summary>
    public const string ServiceBusConnection = "ServiceBusConnection";

    public static JsonObject Bindings(FunctionDeclaration function, QueueTransportKind queues = QueueTransportKind.StorageQueues) => new()
    {
        ["bindings"] = function.Trigger switch
        {
            HttpTrigger http => new JsonArray(
                new JsonObject
                {
                    ["type"] = "httpTrigger",
                    ["direction"] = "in",
                    ["name"] = "req",
                    // Authorisation is the app's own (JWT); the host's function keys would only get in the way.
                    ["authLevel"] = "anonymous",
                    ["methods"] = new JsonArray(http.Method.ToLowerInvariant()),
                    // The host's routePrefix is empty (host.json): the route is the whole path, "api/..." or a page's.
                    ["route"] = http.HostRoute,
                },
                new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
            QueueTrigger queue when queues == QueueTransportKind.ServiceBus => new JsonArray(new JsonObject
            {
                // The host settles: complete on success, abandon on failure, dead-letter after the queue's MaxDeliveryCount.
                ["type"] = "serviceBusTrigger",
                ["direction"] = "in",
                ["name"] = TriggerBindings.Queue,
                ["queueName"] = queue.Queue,
                ["connection"] = ServiceBusConnection,
                ["isSessionsEnabled"] = false,
            }),
            QueueTrigger queue => new JsonArray(new JsonObject
            {
                ["type"] = "queueTrigger",
                ["direction"] = "in",
                ["name"] = TriggerBindings.Queue,
                ["queueName"] = queue.Queue,
                ["connection"] = StorageConnection,
            }),
            BlobCreatedTrigger => new JsonArray(new JsonObject
            {
                // An Event Grid subscription filtered to the container's BlobCreated events (infra/) feeds it:
                // the payload is the event, never the blob's bytes.
                ["type"] = "eventGridTrigger",
                ["direction"] = "in",
                ["name"] = TriggerBindings.EventGrid,
            }),
            TimerTrigger timer => new JsonArray(new JsonObject
            {
                ["type"] = "timerTrigger",
                ["direction"] = "in",
                ["name"] = TriggerBindings.Timer,
                ["schedule"] = timer.Schedule,
            }),
            _ => throw new NotSupportedException(function.Trigger.GetType().Name),
        },
    };

    public static void Write(string outputFolder, string hostJsonPath, IEnumerable<FunctionDeclaration> functions, QueueTransportKind queues = QueueTransportKind.StorageQueues)
    {
        Directory.CreateDirectory(outputFolder);
        File.Copy(hostJsonPath, Path.Combine(outputFolder, "host.json"), overwrite: true);
        var options = new JsonSerializerOptions { WriteIndented = true };
        foreach (var function in functions)
        {
            var folder = Path.Combine(outputFolder, function.Name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "function.json"), Bindings(function, queues).ToJsonString(options) + "\n");
        }
    }
}
