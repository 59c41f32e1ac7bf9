using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Correspondence.Exchange;

public static class ExchangeRegistration
{
    /// <summary>Liên thông: documents and statuses to and from other agencies' systems through a document exchange, when one is configured.</summary>
    public static IServiceCollection AddDocumentExchange(this IServiceCollection services)
    {
        services.AddOptions<ExchangeOptions>().BindConfiguration(ExchangeOptions.Section)
            .Validate(o => o.Endpoint is null || o.Endpoint.Scheme == Uri.UriSchemeHttps || o.Endpoint.Scheme == Uri.UriSchemeHttp, "Exchange:Endpoint must be http or https.")
            .Validate(o => o.Endpoint is null || o.Endpoint.Scheme == Uri.UriSchemeHttps || !string.IsNullOrEmpty(o.SystemId), "Exchange:SystemId is required without a client certificate over HTTPS.")
            .Validate(o => o.PullBatch is > 0 and <= 200 && o.MaxAttachments is > 0 and <= 100 && o.MaxPackageBytes > 0, "Exchange limits must be positive.")
            .ValidateOnStart();
        services.AddHttpClient(ExchangeClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => ExchangeClient.Handler(sp.GetRequiredService<IOptions<ExchangeOptions>>().Value))
            .ConfigureHttpClient((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<ExchangeOptions>>().Value.RequestTimeout);
        services.AddTransient(sp => new ExchangeClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ExchangeClient.HttpClientName),
            sp.GetRequiredService<IOptions<ExchangeOptions>>()));
        services.AddSingleton<ExchangeDirectory>();
        services.AddSingleton<IOutsideAgencyNames>(sp => sp.GetRequiredService<ExchangeDirectory>());
        services.AddSingleton<ExchangePackages>();
        services.AddSingleton<ExchangeApplier>();
        services.AddSingleton<ExchangeReceiver>();
        services.AddSingleton<IOutgoingEventHandler, ExchangeDocumentQueue>();
        services.AddSingleton<IIncomingEventHandler, ExchangeStatusQueue>();
        services.AddQueueFunction<ExchangeOutboundMessage, ExchangeOutboundFunction>(ExchangeOutboundFunction.Declaration);
        services.AddTimerFunction<ExchangePullFunction>(ExchangePullFunction.Declaration);
        return services;
    }
}
