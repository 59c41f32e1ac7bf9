using Azure.Messaging.ServiceBus;
using MotCua.Messaging;
using MotCua.Messaging.ServiceBus;

namespace MotCua.FunctionApp.Tests;

/// <summary>The app finds Service Bus from the setting the Functions host's triggers read, by connection string or by namespace with a managed identity.</summary>
public sealed class ServiceBusRegistrationTests
{
    private static WebApplication Build(Dictionary<string, string?> settings) =>
        MotCuaApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:LocalSigningKey"] = Convert.ToBase64String(new byte[32]),
            ["Queues:Transport"] = "ServiceBus",
        }.Concat(settings)));

    [Fact]
    public async Task A_namespace_alone_gives_a_client_for_it_signed_in_with_a_credential()
    {
        await using var app = Build(new() { ["ServiceBusConnection:fullyQualifiedNamespace"] = "motcua-test.servicebus.windows.net" });
        var client = app.Services.GetRequiredService<ServiceBusClient>();
        Assert.Equal("motcua-test.servicebus.windows.net", client.FullyQualifiedNamespace);
        Assert.IsType<ServiceBusTransport>(app.Services.GetRequiredService<IMessageTransport>());
    }

    [Fact]
    public async Task A_connection_string_gives_a_client_for_its_endpoint()
    {
        await using var app = Build(new() { ["ServiceBusConnection"] = "Endpoint=sb://motcua-cs.servicebus.windows.net/;SharedAccessKeyName=app;SharedAccessKey=a2V5" });
        Assert.Equal("motcua-cs.servicebus.windows.net", app.Services.GetRequiredService<ServiceBusClient>().FullyQualifiedNamespace);
    }

    [Fact]
    public void Service_Bus_without_a_connection_setting_stops_at_start_naming_the_setting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build([]));
        Assert.Contains("ServiceBusConnection", e.Message);
    }
}
