using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Storage;

namespace MotCua.Benchmarks;

/// <summary>What a set of storage clients asked of storage: each HTTP request (each retry too), by service and kind.</summary>
internal sealed record StorageOperations(long TableReads, long TableWrites, long BlobReads, long BlobWrites, long QueueSends, long QueueReceives, long QueueOthers)
{
    /// <summary>Everything but the queue pumps' receive polls, which run whether or not there is work.</summary>
    public long Work => TableReads + TableWrites + BlobReads + BlobWrites + QueueSends + QueueOthers;

    public static StorageOperations operator -(StorageOperations a, StorageOperations b) => new(a.TableReads - b.TableReads, a.TableWrites - b.TableWrites,
        a.BlobReads - b.BlobReads, a.BlobWrites - b.BlobWrites, a.QueueSends - b.QueueSends, a.QueueReceives - b.QueueReceives, a.QueueOthers - b.QueueOthers);

    public override string ToString() =>
        $"{Work} (tables {TableReads} reads + {TableWrites} writes, blobs {BlobReads} reads + {BlobWrites} writes, queues {QueueSends} sends + {QueueOthers} deletes/other; "
        + $"{QueueReceives} receive polls besides)";
}

/// <summary>
/// Counts the requests of the storage clients it is added to, per retry (each attempt that reaches
/// storage). The service is told by Azurite's port (10000 blobs, 10001 queues, 10002 tables); a
/// table batch is one write, as storage sees it.
/// </summary>
internal sealed class StorageOperationCounter : HttpPipelinePolicy
{
    private long _tableReads, _tableWrites, _blobReads, _blobWrites, _queueSends, _queueReceives, _queueOthers;

    public StorageOperations Snapshot() => new(Interlocked.Read(ref _tableReads), Interlocked.Read(ref _tableWrites), Interlocked.Read(ref _blobReads),
        Interlocked.Read(ref _blobWrites), Interlocked.Read(ref _queueSends), Interlocked.Read(ref _queueReceives), Interlocked.Read(ref _queueOthers));

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message.Request);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message.Request);
        return ProcessNextAsync(message, pipeline);
    }

    private void Count(Request request)
    {
        var read = request.Method == RequestMethod.Get || request.Method == RequestMethod.Head;
        switch (request.Uri.Port)
        {
            case 10002: Interlocked.Increment(ref read ? ref _tableReads : ref _tableWrites); break;
            case 10000: Interlocked.Increment(ref read ? ref _blobReads : ref _blobWrites); break;
            case 10001 when request.Method == RequestMethod.Post: Interlocked.Increment(ref _queueSends); break;
            case 10001 when request.Method == RequestMethod.Get: Interlocked.Increment(ref _queueReceives); break;
            default: Interlocked.Increment(ref _queueOthers); break;
        }
    }

    /// <summary>The app's storage clients, as StorageRegistration makes them (same service versions, same queue encoding), with this counter added.</summary>
    public void Register(IServiceCollection services)
    {
        services.AddSingleton(sp => new TableServiceClient(ConnectionString(sp), Tables()));
        services.AddSingleton(sp => new BlobServiceClient(ConnectionString(sp), Blobs()));
        services.AddSingleton(sp => new QueueServiceClient(ConnectionString(sp), Queues()));
    }

    public TableClientOptions Tables()
    {
        var options = new TableClientOptions();
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return options;
    }

    public BlobClientOptions Blobs()
    {
        var options = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06);
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return options;
    }

    public QueueClientOptions Queues()
    {
        var options = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 };
        options.AddPolicy(this, HttpPipelinePosition.PerRetry);
        return options;
    }

    private static string ConnectionString(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString;
}
