using System.Security.Cryptography;
using System.Text;

namespace MotCua.Messaging.ServiceBus;

/// <summary>
/// A Service Bus connection string (<c>Endpoint=sb://host/;SharedAccessKeyName=…;SharedAccessKey=…</c>)
/// and the SAS tokens its key signs. Tokens are put on the connection's CBS node before any link
/// is attached, and again before they expire.
/// </summary>
public sealed record ServiceBusConnection(Uri Endpoint, string KeyName, string Key, bool UseTls = true, int? Port = null)
{
    public string Host => Endpoint.Host;

    public static ServiceBusConnection Parse(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("sb" or "amqp" or "amqps"))
            throw new FormatException("The connection string needs Endpoint=sb://<namespace>/.");
        if (!parts.TryGetValue("SharedAccessKeyName", out var keyName) || !parts.TryGetValue("SharedAccessKey", out var key))
            throw new FormatException("The connection string needs SharedAccessKeyName and SharedAccessKey.");
        var useTls = uri.Scheme != "amqp" && !(parts.TryGetValue("UseDevelopmentEmulator", out var dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase));
        return new ServiceBusConnection(uri, keyName, key, useTls, uri.IsDefaultPort ? null : uri.Port);
    }

    /// <summary>
    /// A SharedAccessSignature for <paramref name="resource"/> valid until <paramref name="expiresAt"/>:
    /// HMAC-SHA256 with the key over the URL-encoded resource, a newline and the expiry in Unix seconds.
    /// </summary>
    public string SasToken(string resource, DateTimeOffset expiresAt)
    {
        var encoded = Uri.EscapeDataString(resource.ToLowerInvariant());
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Key), Encoding.UTF8.GetBytes($"{encoded}\n{expiry}")));
        return $"SharedAccessSignature sr={encoded}&sig={Uri.EscapeDataString(signature)}&se={expiry}&skn={Uri.EscapeDataString(KeyName)}";
    }
}
