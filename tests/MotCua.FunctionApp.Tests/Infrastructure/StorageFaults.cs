using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>
/// Makes the app's real storage clients fail where a crash or an outage would: a request matching
/// a rule is refused before it is sent (the write never happens), or sent and then its answer lost
/// (the write happened, the app never hears so). Installed in the Azure SDK's own pipeline, so the
/// app's code runs unchanged.
/// </summary>
public sealed class StorageFaults : HttpPipelinePolicy
{
    private readonly List<(Func<HttpMessage, bool> Matches, bool AfterSending)> _rules = [];
    private readonly Lock _gate = new();

    /// <summary>Requests matching <paramref name="matches"/> fail without reaching storage.</summary>
    public void Refuse(Func<HttpMessage, bool> matches) { lock (_gate) _rules.Add((matches, false)); }

    /// <summary>Requests matching <paramref name="matches"/> reach storage, and then the app gets an error instead of the answer.</summary>
    public void LoseAnswer(Func<HttpMessage, bool> matches) { lock (_gate) _rules.Add((matches, true)); }

    /// <summary>The first request matching <paramref name="matches"/> is carried out, and then the app "dies": that answer and every later request fail.</summary>
    public void DieAfter(Func<HttpMessage, bool> matches)
    {
        var dead = false;
        lock (_gate)
        {
            _rules.Add((m => Volatile.Read(ref dead), false));
            _rules.Add((m => matches(m) && !Interlocked.Exchange(ref dead, true), true));
        }
    }

    public void Clear() { lock (_gate) _rules.Clear(); }

    public static bool IsQueueSend(HttpMessage m) => m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal);

    public static bool IsBatchOn(HttpMessage m, string table) => m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal)
        && m.Request.Content is { } content && ContentText(content).Split('/').Any(segment => segment.StartsWith(table, StringComparison.Ordinal)
            && segment.Length > table.Length && segment[table.Length] is '(' or '?' or ' ');

    /// <summary>A batch on <paramref name="table"/> whose rows are in a partition starting with <paramref name="partitionPrefix"/>.</summary>
    public static bool IsBatchInPartition(HttpMessage m, string table, string partitionPrefix) =>
        IsBatchOn(m, table) && m.Request.Content is { } content && ContentText(content).Contains($"\"PartitionKey\":\"{partitionPrefix}", StringComparison.Ordinal);

    public static bool IsWriteTo(HttpMessage m, string table, string partitionPrefix) => m.Request.Method != RequestMethod.Get
        && Uri.UnescapeDataString(m.Request.Uri.Path).Contains($"/{table}(PartitionKey='{partitionPrefix}", StringComparison.Ordinal);

    /// <summary>Adds this policy to the app's table and queue clients (they replace the ones the app registers).</summary>
    public void Install(IServiceCollection services)
    {
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(this, HttpPipelinePosition.PerCall);
        services.AddSingleton(new TableServiceClient("UseDevelopmentStorage=true", tableOptions));
        var queueOptions = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.AddPolicy(this, HttpPipelinePosition.PerCall);
        services.AddSingleton(new QueueServiceClient("UseDevelopmentStorage=true", queueOptions));
    }

    /// <summary>Adds this policy to the app's blob client (it replaces the one the app registers).</summary>
    public void InstallOnBlobs(IServiceCollection services)
    {
        var blobOptions = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06);
        blobOptions.AddPolicy(this, HttpPipelinePosition.PerCall);
        services.AddSingleton(new BlobServiceClient("UseDevelopmentStorage=true", blobOptions));
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var rule = Rule(message);
        if (rule is { AfterSending: false }) throw new IOException($"Storage unreachable (test fault) for {message.Request.Method} {message.Request.Uri.Path}.");
        await ProcessNextAsync(message, pipeline);
        if (rule is { AfterSending: true }) throw new IOException($"Answer lost (test fault) for {message.Request.Method} {message.Request.Uri.Path}.");
    }

    private (Func<HttpMessage, bool> Matches, bool AfterSending)? Rule(HttpMessage message)
    {
        lock (_gate)
        {
            foreach (var rule in _rules) if (rule.Matches(message)) return rule;
        }
        return null;
    }

    private static string ContentText(RequestContent content)
    {
        using var buffer = new MemoryStream();
        content.WriteTo(buffer, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
