using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Hosting;
using MotCua.Messaging;
using MotCua.Messaging.StorageQueues;

namespace MotCua.FunctionApp.Storage;

public static class StorageRegistration
{
    public static IServiceCollection AddMotCuaStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MessagePumpOptions>().BindConfiguration("Queues:Pump").ValidateDataAnnotations().ValidateOnStart();

        // Pinned service versions: the newest ones the SDKs send are not yet served by Azurite,
        // and these are served by Azure as well.
        services.AddSingleton(sp => new TableServiceClient(Options(sp).ConnectionString));
        services.AddSingleton(sp => new BlobServiceClient(Options(sp).ConnectionString,
            new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06)));
        services.AddSingleton(sp => new QueueServiceClient(Options(sp).ConnectionString,
            new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 }));

        services.AddSingleton(sp => MotCuaTables.Create(sp.GetRequiredService<TableServiceClient>(), Options(sp).Prefix));
        services.AddSingleton(sp => sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(Options(sp).Prefix + StorageContainers.Documents));
        services.AddSingleton<IMessageTransport>(sp => new StorageQueueTransport(
            sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<TimeProvider>(), Options(sp).Prefix));
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    private static StorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;
}

/// <summary>Creates the tables, the container and the queues before the app takes traffic.</summary>
public sealed class StorageInitializer(MotCuaTables tables, BlobContainerClient documents, IMessageTransport transport) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(tables.All.Select(t => t.CreateIfNotExistsAsync(cancellationToken)));
        await documents.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var queue in FunctionCatalog.All.Select(f => f.Trigger).OfType<QueueTrigger>().Select(q => q.Queue)
            .Append(QueueNames.BlobCreated).Append(QueueNames.DossierEvents).Distinct())
        {
            await transport.EnsureQueueAsync(queue, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
