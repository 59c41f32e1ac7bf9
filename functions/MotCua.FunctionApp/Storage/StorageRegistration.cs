using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Hosting;
using MotCua.Messaging;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Azure;
using MotCua.Messaging.ServiceBus;
using MotCua.Messaging.StorageQueues;

namespace MotCua.FunctionApp.Storage;

public static class StorageRegistration
{
    public static IServiceCollection AddMotCuaStorage(this IServiceCollection services, IConfiguration configuration)
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
        services.AddMotCuaQueues(configuration);
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    /// <summary>
    /// Storage queues by default (Azurite locally); Azure Service Bus when <c>Queues:Transport</c> is
    /// <c>ServiceBus</c>, with the client registered the Azure SDK way from the setting the Functions
    /// host's triggers read: <c>ServiceBusConnection</c> (a connection string) or
    /// <c>ServiceBusConnection__fullyQualifiedNamespace</c> (a managed identity through
    /// <c>DefaultAzureCredential</c>). Queue names carry the storage prefix either way.
    /// </summary>
    private static void AddMotCuaQueues(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QueueTransportOptions>().BindConfiguration(QueueTransportOptions.Section);
        if (configuration.GetSection(QueueTransportOptions.Section).Get<QueueTransportOptions>()?.Transport == QueueTransportKind.ServiceBus)
        {
            var connection = configuration.GetSection(FunctionJsonGenerator.ServiceBusConnection);
            if (string.IsNullOrEmpty(connection.Value) && string.IsNullOrEmpty(connection["fullyQualifiedNamespace"]))
                throw new InvalidOperationException($"Queues:Transport is ServiceBus but neither {FunctionJsonGenerator.ServiceBusConnection} nor {FunctionJsonGenerator.ServiceBusConnection}__fullyQualifiedNamespace is set.");
            services.AddAzureClients(clients =>
            {
                clients.AddServiceBusClient(connection).ConfigureOptions(o => o.Identifier = "motcua");
                clients.UseCredential(new DefaultAzureCredential());
            });
            services.AddSingleton<IMessageTransport>(sp => new ServiceBusTransport(sp.GetRequiredService<ServiceBusClient>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ServiceBusTransport>>(), Options(sp).Prefix));
            return;
        }
        services.AddSingleton<IMessageTransport>(sp => new StorageQueueTransport(sp.GetRequiredService<QueueServiceClient>(),
            sp.GetRequiredService<TimeProvider>(), Options(sp).Prefix, sp.GetRequiredService<ILogger<StorageQueueTransport>>()));
    }

    private static StorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;
}

/// <summary>
/// Creates the tables, the container and the queues before the app takes traffic, unless
/// <see cref="StorageOptions.CreateOnStart"/> says the deployment made them.
/// </summary>
public sealed class StorageInitializer(MotCuaTables tables, BlobContainerClient documents, IMessageTransport transport, FunctionRegistry functions,
    IOptions<StorageOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => options.Value.CreateOnStart ? CreateAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Makes whatever of the app's storage is missing.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(tables.All.Select(t => t.CreateIfNotExistsAsync(cancellationToken)));
        await documents.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        // Service Bus queues come from the infrastructure template (or the broker's own configuration locally).
        if (transport is not StorageQueueTransport storageQueues) return;
        await Task.WhenAll(functions.Queues.Select(queue => storageQueues.EnsureQueueAsync(queue, cancellationToken)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
