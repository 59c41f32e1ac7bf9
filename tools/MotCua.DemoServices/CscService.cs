using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MotCua.DemoServices;

/// <summary>
/// A remote signing service speaking the Cloud Signature Consortium API v2: credentials held for
/// users known by their OAuth access token, each activated explicitly by a PIN. A SAD authorizes
/// the listed hashes only, for a limited time and number of signatures.
/// </summary>
public sealed class CscService(TimeProvider time)
{
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";
    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";

    private readonly ConcurrentDictionary<string, string> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Credential> _credentials = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Activation> _activations = new(StringComparer.Ordinal);

    /// <summary>How long a SAD stays usable.</summary>
    public TimeSpan SadLifetime { get; init; } = TimeSpan.FromMinutes(5);

    private sealed record Credential(string Id, string UserId, X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain, string Pin);

    private sealed class Activation(string credentialId, HashSet<string> hashes, int signatures, DateTimeOffset expiresAt)
    {
        public string CredentialId { get; } = credentialId;
        public HashSet<string> Hashes { get; } = hashes;
        public int Remaining { get; set; } = signatures;
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
    }

    /// <summary>Lets <paramref name="accessToken"/> act for <paramref name="userId"/>.</summary>
    public void AddAccessToken(string accessToken, string userId) => _users[accessToken] = userId;

    /// <summary>A credential: a certificate with its private key, its issuers, and the PIN that activates it.</summary>
    public void AddCredential(string userId, string credentialId, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, string pin) =>
        _credentials[credentialId] = certificate.HasPrivateKey
            ? new Credential(credentialId, userId, certificate, chain, pin)
            : throw new ArgumentException("The credential's certificate needs its private key.", nameof(certificate));

    internal string? UserOf(string accessToken) => _users.TryGetValue(accessToken, out var user) ? user : null;

    internal static JsonObject ServiceInfo() => new()
    {
        ["specs"] = "2.0.0.2",
        ["name"] = "MotCua demo remote signing",
        ["logo"] = "",
        ["region"] = "VN",
        ["lang"] = "vi",
        ["description"] = "Dịch vụ ký số từ xa dùng cho thử nghiệm",
        ["authType"] = new JsonArray("oauth2code"),
        ["methods"] = new JsonArray("credentials/list", "credentials/info", "credentials/authorize", "signatures/signHash"),
    };

    internal CscResult List(string userId) =>
        CscResult.Ok(new JsonObject { ["credentialIDs"] = new JsonArray([.. _credentials.Values.Where(c => c.UserId == userId).Select(c => (JsonNode)c.Id)]) });

    internal CscResult Info(string userId, JsonElement body)
    {
        if (Find(userId, body) is not { } credential) return InvalidCredential(body);
        var certificates = body.TryGetProperty("certificates", out var which) ? which.GetString() : "single";
        var encoded = new JsonArray();
        if (certificates != "none") encoded.Add(Convert.ToBase64String(credential.Certificate.RawData));
        if (certificates == "chain") foreach (var issuer in credential.Chain) encoded.Add(Convert.ToBase64String(issuer.RawData));
        var rsa = credential.Certificate.GetKeyAlgorithm() == RsaEncryption;
        using var publicKey = (AsymmetricAlgorithm?)credential.Certificate.GetRSAPublicKey() ?? credential.Certificate.GetECDsaPublicKey()!;
        var key = new JsonObject
        {
            ["status"] = "enabled",
            ["algo"] = rsa ? new JsonArray(RsaEncryption, Sha256WithRsa) : new JsonArray(EcPublicKey, EcdsaWithSha256),
            ["len"] = publicKey.KeySize,
        };
        if (!rsa) key["curve"] = "1.2.840.10045.3.1.7";
        return CscResult.Ok(new JsonObject
        {
            ["description"] = "Chứng thư ký số cá nhân",
            ["key"] = key,
            ["cert"] = new JsonObject
            {
                ["status"] = "valid",
                ["certificates"] = encoded,
                ["issuerDN"] = credential.Certificate.Issuer,
                ["serialNumber"] = credential.Certificate.SerialNumber,
                ["subjectDN"] = credential.Certificate.Subject,
                ["validFrom"] = credential.Certificate.NotBefore.ToUniversalTime().ToString("yyyyMMddHHmmss'Z'"),
                ["validTo"] = credential.Certificate.NotAfter.ToUniversalTime().ToString("yyyyMMddHHmmss'Z'"),
            },
            ["authMode"] = "explicit",
            ["PIN"] = new JsonObject { ["presence"] = "true", ["format"] = "N", ["label"] = "PIN", ["description"] = "Mã PIN của chứng thư" },
            ["SCAL"] = "2",
            ["multisign"] = 1,
            ["lang"] = "vi",
        });
    }

    internal CscResult Authorize(string userId, JsonElement body)
    {
        if (Find(userId, body) is not { } credential) return InvalidCredential(body);
        if (!body.TryGetProperty("numSignatures", out var count) || count.ValueKind != JsonValueKind.Number || !count.TryGetInt32(out var signatures) || signatures < 1)
            return CscResult.Error(400, "invalid_request", "Missing (or invalid type) integer parameter numSignatures");
        if (Text(body, "hashAlgorithmOID") != Sha256Oid)
            return CscResult.Error(400, "invalid_request", "Invalid parameter hashAlgorithmOID");
        if (Hashes(body) is not { Count: > 0 } hashes || hashes.Count != signatures)
            return CscResult.Error(400, "invalid_request", "Invalid parameter hashes");
        if (Text(body, "PIN") is not { } pin) return CscResult.Error(400, "invalid_request", "Missing (or invalid type) string parameter PIN");
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(pin), System.Text.Encoding.UTF8.GetBytes(credential.Pin)))
            return CscResult.Error(400, "invalid_pin", "The PIN is invalid");
        var sad = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _activations[sad] = new Activation(credential.Id, [.. hashes], signatures, time.GetUtcNow() + SadLifetime);
        return CscResult.Ok(new JsonObject { ["SAD"] = sad, ["expiresIn"] = (int)SadLifetime.TotalSeconds });
    }

    internal CscResult SignHash(string userId, JsonElement body)
    {
        if (Find(userId, body) is not { } credential) return InvalidCredential(body);
        if (Text(body, "SAD") is not { } sad) return CscResult.Error(400, "invalid_request", "Missing (or invalid type) string parameter SAD");
        if (!_activations.TryGetValue(sad, out var activation) || activation.CredentialId != credential.Id)
            return CscResult.Error(400, "invalid_request", "Invalid parameter SAD");
        if (time.GetUtcNow() >= activation.ExpiresAt)
        {
            _activations.TryRemove(sad, out _);
            return CscResult.Error(400, "invalid_request", "SAD expired");
        }
        if (Text(body, "hashAlgorithmOID") != Sha256Oid) return CscResult.Error(400, "invalid_request", "Invalid parameter hashAlgorithmOID");
        if (Hashes(body) is not { Count: > 0 } hashes) return CscResult.Error(400, "invalid_request", "Missing (or invalid type) array parameter hashes");
        var signAlgo = Text(body, "signAlgo");
        var rsa = credential.Certificate.GetRSAPrivateKey();
        var ecdsa = rsa is null ? credential.Certificate.GetECDsaPrivateKey() : null;
        using (rsa)
        using (ecdsa)
        {
            if (rsa is not null ? signAlgo is not (RsaEncryption or Sha256WithRsa) : signAlgo is not (EcdsaWithSha256 or EcPublicKey))
                return CscResult.Error(400, "invalid_request", "Invalid parameter signAlgo");
            lock (activation)
            {
                if (hashes.Any(h => !activation.Hashes.Contains(h))) return CscResult.Error(400, "invalid_request", "Hash is not authorized by the SAD");
                if (activation.Remaining < hashes.Count) return CscResult.Error(400, "invalid_request", "The SAD allows no more signatures");
                activation.Remaining -= hashes.Count;
            }
            var signatures = new JsonArray();
            foreach (var hash in hashes)
            {
                var digest = Convert.FromBase64String(hash);
                if (digest.Length != 32) return CscResult.Error(400, "invalid_request", "Invalid parameter hashes");
                signatures.Add(Convert.ToBase64String(rsa is not null
                    ? rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                    : ecdsa!.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence)));
            }
            return CscResult.Ok(new JsonObject { ["signatures"] = signatures });
        }
    }

    private Credential? Find(string userId, JsonElement body) =>
        Text(body, "credentialID") is { } id && _credentials.TryGetValue(id, out var credential) && credential.UserId == userId ? credential : null;

    private static CscResult InvalidCredential(JsonElement body) => Text(body, "credentialID") is null
        ? CscResult.Error(400, "invalid_request", "Missing (or invalid type) string parameter credentialID")
        : CscResult.Error(400, "invalid_request", "Invalid parameter credentialID");

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string>? Hashes(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("hashes", out var hashes) || hashes.ValueKind != JsonValueKind.Array) return null;
        var list = new List<string>();
        foreach (var hash in hashes.EnumerateArray())
        {
            if (hash.ValueKind != JsonValueKind.String) return null;
            list.Add(hash.GetString()!);
        }
        return list;
    }
}

internal sealed record CscResult(int Status, JsonObject Body)
{
    public static CscResult Ok(JsonObject body) => new(200, body);

    public static CscResult Error(int status, string error, string description) =>
        new(status, new JsonObject { ["error"] = error, ["error_description"] = description });
}

public static class CscEndpoints
{
    /// <summary>The CSC API v2 under <c>/csc/v2/</c>: JSON POSTs, bearer tokens, errors as {error, error_description}.</summary>
    public static IEndpointRouteBuilder MapCloudSignatureConsortium(this IEndpointRouteBuilder app, CscService service)
    {
        var csc = app.MapGroup("/csc/v2");
        csc.MapPost("/info", () => Results.Json(CscService.ServiceInfo()));
        csc.MapPost("/credentials/list", (HttpRequest request) => Call(request, service, (user, _) => service.List(user)));
        csc.MapPost("/credentials/info", (HttpRequest request) => Call(request, service, service.Info));
        csc.MapPost("/credentials/authorize", (HttpRequest request) => Call(request, service, service.Authorize));
        csc.MapPost("/signatures/signHash", (HttpRequest request) => Call(request, service, service.SignHash));
        return app;
    }

    private static async Task<IResult> Call(HttpRequest request, CscService service, Func<string, JsonElement, CscResult> method)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || service.UserOf(header["Bearer ".Length..]) is not { } user)
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Answer(CscResult.Error(401, "invalid_token", "The access token is not valid"));
        }
        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted)).RootElement;
        }
        catch (JsonException)
        {
            return Answer(CscResult.Error(400, "invalid_request", "The body is not JSON"));
        }
        return Answer(method(user, body));
    }

    private static IResult Answer(CscResult result) => Results.Json(result.Body, statusCode: result.Status);
}
