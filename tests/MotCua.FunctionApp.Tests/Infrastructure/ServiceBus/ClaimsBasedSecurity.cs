using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;

namespace MotCua.FunctionApp.Tests.Infrastructure.ServiceBus;

/// <summary>
/// Protocol guide, "Claims-based authorization": the <c>$cbs</c> node. A <c>put-token</c> request
/// carries a SharedAccessSignature (type <c>servicebus.windows.net:sastoken</c>) for an audience;
/// the token's HMAC-SHA256 over its resource and expiry is checked with the namespace key, its
/// resource must cover the audience and it must not have expired. Accepted tokens authorize links
/// to the audience's entity on that connection only, as the service does.
/// </summary>
internal sealed class ClaimsBasedSecurity(Broker broker, string keyName, byte[] key)
{
    private const string SasTokenType = "servicebus.windows.net:sastoken";
    private readonly ConcurrentDictionary<AmqpConnection, ConcurrentDictionary<string, DateTime>> _grants = new();

    /// <summary>Answers one put-token request with status-code 202 or 401 and a status-description.</summary>
    public AmqpMessage PutToken(AmqpConnection connection, AmqpMessage request)
    {
        var properties = request.ApplicationProperties.Map;
        var operation = properties["operation"] as string;
        var type = properties["type"] as string;
        var audience = properties["name"] as string ?? string.Empty;
        var token = request.ValueBody?.Value as string;
        if (operation != "put-token" || type != SasTokenType || token is null
            || !TryValidate(token, audience, out var expires))
        {
            broker.Record("token-refused", audience, operation);
            return Response(request, 401, "The token is not valid for this audience, or has expired.");
        }
        _grants.GetOrAdd(connection, _ => new())[EntityPathOf(audience)] = expires;
        broker.Record("token-put", audience, expires.ToString("O", CultureInfo.InvariantCulture));
        return Response(request, 202, "Accepted");
    }

    /// <summary>Whether a token put on this connection covers the entity path (its audience is the path or a parent of it).</summary>
    public bool IsAuthorized(AmqpConnection connection, string entityPath)
    {
        if (!_grants.TryGetValue(connection, out var grants)) return false;
        var path = entityPath.Trim('/').ToLowerInvariant();
        var now = broker.Time.GetUtcNow().UtcDateTime;
        return grants.Any(g => g.Value > now && (path == g.Key || g.Key.Length == 0 || path.StartsWith(g.Key + "/", StringComparison.Ordinal)));
    }

    public void Forget(AmqpConnection connection) => _grants.TryRemove(connection, out _);

    /// <summary>SharedAccessSignature sr={url-encoded resource}&amp;sig={base64 HMAC of "sr\nse"}&amp;se={unix expiry}&amp;skn={key name}.</summary>
    private bool TryValidate(string token, string audience, out DateTime expires)
    {
        expires = default;
        const string Scheme = "SharedAccessSignature ";
        if (!token.StartsWith(Scheme, StringComparison.Ordinal)) return false;
        var fields = token[Scheme.Length..].Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
        if (!fields.TryGetValue("sr", out var encodedResource) || !fields.TryGetValue("sig", out var signature)
            || !fields.TryGetValue("se", out var expiry) || !fields.TryGetValue("skn", out var name)
            || WebUtility.UrlDecode(name) != keyName
            || !long.TryParse(WebUtility.UrlDecode(expiry), CultureInfo.InvariantCulture, out var seconds)) return false;

        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{encodedResource}\n{WebUtility.UrlDecode(expiry)}"));
        byte[] given;
        try { given = Convert.FromBase64String(WebUtility.UrlDecode(signature)); }
        catch (FormatException) { return false; }
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return false;

        expires = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime;
        if (expires <= broker.Time.GetUtcNow().UtcDateTime) return false;

        // The resource must cover the audience: same host, and the audience's path under the resource's path.
        // The scheme is not compared: the client signs for amqps:// and names amqp:// audiences without TLS.
        var resource = WebUtility.UrlDecode(encodedResource);
        if (!Uri.TryCreate(resource, UriKind.Absolute, out var resourceUri) || !Uri.TryCreate(audience, UriKind.Absolute, out var audienceUri)
            || !string.Equals(resourceUri.Host, audienceUri.Host, StringComparison.OrdinalIgnoreCase)) return false;
        var resourcePath = EntityPathOf(resource);
        var audiencePath = EntityPathOf(audience);
        return resourcePath.Length == 0 || audiencePath == resourcePath || audiencePath.StartsWith(resourcePath + "/", StringComparison.Ordinal);
    }

    private static string EntityPathOf(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? Uri.UnescapeDataString(parsed.AbsolutePath).Trim('/').ToLowerInvariant() : uri.Trim('/').ToLowerInvariant();

    private static AmqpMessage Response(AmqpMessage request, int status, string description)
    {
        var response = AmqpMessage.Create();
        response.Properties.CorrelationId = request.Properties.MessageId;
        response.ApplicationProperties = new ApplicationProperties();
        response.ApplicationProperties.Map["status-code"] = status;
        response.ApplicationProperties.Map["status-description"] = description;
        return response;
    }
}
