using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MotCua.FunctionApp.Correspondence.Exchange;

/// <summary>A package waiting for one of this system's agencies at the exchange.</summary>
public sealed record ExchangeDelivery(string Id, string? DocId, string From, string To, string MessageType, DateTimeOffset? SentAt);

/// <summary>An agency the exchange knows, and the system that serves it.</summary>
public sealed record ExchangeAgency(string Id, string Name, string? System);

/// <summary>The exchange said no, or could not be reached; <see cref="Permanent"/> when sending again will not help.</summary>
public sealed class ExchangeException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>
/// The only place that speaks the exchange's protocol (docs/exchange-protocol.md), after the operations
/// of the national axis's SDK: send a package, list what was received, fetch one, report the fetch's
/// outcome, list the agencies. A real axis needs its own adapter in this shape.
/// </summary>
public sealed class ExchangeClient(HttpClient http, IOptions<ExchangeOptions> options)
{
    public const string HttpClientName = "exchange";
    private const string SystemHeader = "X-Exchange-System";

    /// <summary>Sends a package; the same <paramref name="packageId"/> sent again is one package at the exchange.</summary>
    public async Task<string> SendAsync(Stream package, string messageType, string packageId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "edocs");
        request.Headers.Add("X-Exchange-MessageType", messageType);
        request.Headers.Add("X-Exchange-PackageId", packageId);
        request.Content = new StreamContent(package, 128 * 1024);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml") { CharSet = "utf-8" };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        return body.TryGetProperty("docId", out var id) ? id.GetString()! : throw new ExchangeException("The exchange answered without a docId.", permanent: false);
    }

    public async Task<IReadOnlyList<ExchangeDelivery>> ReceivedAsync(CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, "edocs/received");
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        return body.TryGetProperty("knobsticks", out var list) ? list.Deserialize<List<ExchangeDelivery>>(JsonSerializerOptions.Web) ?? [] : [];
    }

    /// <summary>The package of a delivery, streamed; the caller disposes the response.</summary>
    public async Task<HttpResponseMessage> FetchAsync(string deliveryId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, $"edocs/{Uri.EscapeDataString(deliveryId)}");
        var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response) await ReadAsync(response, cancellationToken);
        }
        return response;
    }

    /// <summary>Tells the exchange the fetch's outcome: "done", or "fail" with the reason; the delivery leaves the list either way.</summary>
    public async Task ReportAsync(string deliveryId, bool accepted, string? reason, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Put, $"edocs/{Uri.EscapeDataString(deliveryId)}/status");
        request.Content = JsonContent.Create(new { status = accepted ? "done" : "fail", reason });
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await ReadAsync(response, cancellationToken);
    }

    public async Task<IReadOnlyList<ExchangeAgency>> AgenciesAsync(CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, "agencies");
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        return body.TryGetProperty("agencies", out var list) ? list.Deserialize<List<ExchangeAgency>>(JsonSerializerOptions.Web) ?? [] : [];
    }

    /// <summary>The handler that presents the agency's client certificate and trusts the exchange's configured authority.</summary>
    public static HttpMessageHandler Handler(ExchangeOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.None };
        if (options.ClientCertificatePath is { Length: > 0 } path)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.ClientCertificatePassword);
            handler.SslOptions.ClientCertificates = [certificate];
        }
        if (options.ServerCertificateAuthorityPath is { Length: > 0 } authorityPath)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(authorityPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null) return false;
                if (errors == System.Net.Security.SslPolicyErrors.None) return true;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                // The name is still checked: only the chain's root may differ from the machine's.
                return (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == 0 && chain.Build(new X509Certificate2(certificate));
            };
        }
        return handler;
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var endpoint = options.Value.Endpoint ?? throw new InvalidOperationException("No exchange is configured (Exchange:Endpoint).");
        var request = new HttpRequestMessage(method, new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + path));
        if (options.Value.SystemId is { Length: > 0 } system) request.Headers.Add(SystemHeader, system);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ExchangeException($"The exchange at {options.Value.Endpoint} cannot be reached: {e.Message}", permanent: false, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ExchangeException($"The exchange at {options.Value.Endpoint} did not answer in time.", permanent: false, e);
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        JsonElement body = default;
        try
        {
            body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        }
        catch (JsonException) when (!response.IsSuccessStatusCode)
        {
        }
        if (response.IsSuccessStatusCode && body.ValueKind == JsonValueKind.Object) return body;
        var reason = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("errorDesc", out var d) ? d.GetString() : null;
        var status = (int)response.StatusCode;
        throw new ExchangeException($"The exchange answered {status}: {reason ?? response.ReasonPhrase}", permanent: status is >= 400 and < 500 and not 408 and not 429);
    }
}
