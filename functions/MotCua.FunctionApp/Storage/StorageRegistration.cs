using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Hosting;
using MotCua.Messaging;
using MotCua.Messaging.ServiceBus;
using MotCua.Messaging.StorageQueues;

namespace MotCua.FunctionApp.Storage;

public static class StorageRegistration
{
    public static IServiceCollection AddMotCuaStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MessagePumpOptions>().BindConfiguration("Queues:Pump").ValidateDataAnnotations().ValidateOnStart();

        // Pinned service versions: the newest ones the SDKs send are not yet served by Azurite,
        // and these are served by Azure as well. A host that registered its own clients keeps them.
        services.TryAddSingleton(sp => new TableServiceClient(Options(sp).ConnectionString));
        services.TryAddSingleton(sp => new BlobServiceClient(Options(sp).ConnectionString,
            new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06)));
        services.TryAddSingleton(sp => new QueueServiceClient(Options(sp).ConnectionString,
            new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 }));

        services.AddSingleton(sp => MotCuaTables.Create(sp.GetRequiredService<TableServiceClient>(), Options(sp).Prefix));
        services.AddSingleton(sp => sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(Options(sp).Prefix + StorageContainers.Documents));
        services.AddMotCuaQueues();
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    /// <summary>
    /// Storage queues by default (Azurite locally); Service Bus over AMQP 1.0 when
    /// <c>Queues:Transport</c> is <c>ServiceBus</c>. Queue names carry the storage prefix either way.
    /// </summary>
    private static void AddMotCuaQueues(this IServiceCollection services)
    {
        services.AddOptions<QueueTransportOptions>().BindConfiguration(QueueTransportOptions.Section);
        services.AddOptions<ServiceBusOptions>().BindConfiguration(ServiceBusOptions.Section)
            // Under the Functions host the triggers read ServiceBusConnection; the app's own sends use it too unless told otherwise.
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrEmpty(options.ConnectionString)) options.ConnectionString = configuration[FunctionJsonGenerator.ServiceBusConnection] ?? string.Empty;
            })
            .ValidateDataAnnotations();
        services.AddSingleton<IMessageTransport>(sp => sp.GetRequiredService<IOptions<QueueTransportOptions>>().Value.Transport switch
        {
            QueueTransportKind.ServiceBus => new ServiceBusTransport(sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServiceBusTransport>>(), Options(sp).Prefix),
            _ => new StorageQueueTransport(sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<TimeProvider>(), Options(sp).Prefix,
                sp.GetRequiredService<ILogger<StorageQueueTransport>>()),
        });
    }

    private static StorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;
}

/// <summary>Creates the tables, the container and the queues before the app takes traffic.</summary>
public sealed class StorageInitializer(MotCuaTables tables, BlobContainerClient documents, IMessageTransport transport, FunctionRegistry functions) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(tables.All.Select(t => t.CreateIfNotExistsAsync(cancellationToken)));
        await documents.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var queue in functions.Queues)
        {
            await transport.EnsureQueueAsync(queue, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
