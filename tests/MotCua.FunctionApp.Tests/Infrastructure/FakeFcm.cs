using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MotCua.FunctionApp.Tests.Infrastructure;

/// <summary>A push FCM accepted: the device token and the whole message as sent.</summary>
/// <param name="ArrivedAt">When the request reached the server (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), before any <see cref="FakeFcm.Latency"/>.</param>
public sealed record ReceivedPush(string Token, JsonObject Message, long ArrivedAt = 0);

/// <summary>
/// Google's OAuth token endpoint and FCM's HTTP v1 <c>messages:send</c>, on loopback, per their
/// documented contracts: the token endpoint takes a service-account JWT (RFC 7523 bearer grant,
/// RS256, audience https://oauth2.googleapis.com/token, the firebase.messaging scope) and gives an access token;
/// messages:send takes that token and a message whose data values are all strings. Responses for
/// a device token can be scripted: FCM's error bodies, with their status codes and Retry-After.
/// </summary>
public sealed class FakeFcm : IAsyncDisposable
{
    public const string ProjectId = "motcua-test";
    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, bool> _issued = new();

    public ConcurrentQueue<ReceivedPush> Accepted { get; } = new();
    public ConcurrentDictionary<string, ConcurrentQueue<(int Status, string Body, string? RetryAfter)>> Scripted { get; } = new();
    public int TokenRequests;
    public int SendRequests;
    public string BaseUrl { get; private set; } = default!;

    /// <summary>How long each messages:send takes to answer, standing in for the trip to Google.</summary>
    public TimeSpan Latency { get; set; }
    public string TokenUri => BaseUrl + "/token";
    public string ClientEmail => "push@motcua-test.iam.gserviceaccount.com";

    private FakeFcm(WebApplication app) => _app = app;

    public static async Task<FakeFcm> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeFcm(app);
        app.MapPost("/token", fake.TokenAsync);
        app.MapPost("/v1/projects/{project}/messages:send", fake.SendAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>A service-account key file as Firebase issues it, for a key made for this run.</summary>
    public string ServiceAccountJson => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["type"] = "service_account",
        ["project_id"] = ProjectId,
        ["private_key_id"] = "test-key",
        ["private_key"] = _key.ExportPkcs8PrivateKeyPem(),
        ["client_email"] = ClientEmail,
        ["client_id"] = "1",
        ["token_uri"] = TokenUri,
    });

    public Dictionary<string, string?> Settings => new()
    {
        ["Notifications:Fcm:ServiceAccountJson"] = ServiceAccountJson,
        ["Notifications:Fcm:BaseUrl"] = BaseUrl,
        ["Notifications:Fcm:FirstRetryDelay"] = "00:00:00.050",
        ["Notifications:Fcm:MaxRetryDelay"] = "00:00:02",
    };

    public void Script(string deviceToken, params (int Status, string Body, string? RetryAfter)[] responses) =>
        Scripted[deviceToken] = new ConcurrentQueue<(int, string, string?)>(responses);

    public static (int, string, string?) Error(int status, string rpcStatus, string errorCode, string? violatedField = null, string? retryAfter = null)
    {
        var details = new JsonArray(new JsonObject { ["@type"] = "type.googleapis.com/google.firebase.fcm.v1.FcmError", ["errorCode"] = errorCode });
        if (violatedField is not null)
            details.Add(new JsonObject { ["@type"] = "type.googleapis.com/google.rpc.BadRequest", ["fieldViolations"] = new JsonArray(new JsonObject { ["field"] = violatedField, ["description"] = "Invalid value" }) });
        var body = new JsonObject { ["error"] = new JsonObject { ["code"] = status, ["message"] = errorCode, ["status"] = rpcStatus, ["details"] = details } };
        return (status, body.ToJsonString(), retryAfter);
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        Interlocked.Increment(ref TokenRequests);
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer") return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        var parts = form["assertion"].ToString().Split('.');
        if (parts.Length != 3) return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        var header = JsonNode.Parse(Base64Url(parts[0]))!;
        var claims = JsonNode.Parse(Base64Url(parts[1]))!;
        var signed = _key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var valid = signed && header["alg"]?.GetValue<string>() == "RS256"
            && claims["iss"]?.GetValue<string>() == ClientEmail
            && claims["aud"]?.GetValue<string>() == "https://oauth2.googleapis.com/token" // Google: "always", whatever the token URI
            && claims["scope"]?.GetValue<string>()?.Split(' ').Contains("https://www.googleapis.com/auth/firebase.messaging") == true
            && claims["exp"]?.GetValue<long>() > now && claims["iat"]?.GetValue<long>() <= now + 60;
        if (!valid) return Results.Json(new { error = "invalid_grant", error_description = "Invalid JWT Signature or claims." }, statusCode: 400);
        var token = "ya29." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _issued[token] = true;
        return Results.Json(new { access_token = token, expires_in = 3599, token_type = "Bearer" });
    }

    private async Task<IResult> SendAsync(string project, HttpRequest request, HttpResponse response)
    {
        Interlocked.Increment(ref SendRequests);
        var arrivedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency);
        var bearer = request.Headers.Authorization.ToString();
        if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal) || !_issued.ContainsKey(bearer[7..]))
            return Raw(response, Error(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR"));
        if (project != ProjectId) return Raw(response, Error(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH"));
        var body = await JsonNode.ParseAsync(request.Body);
        var message = body?["message"] as JsonObject;
        var token = message?["token"]?.GetValue<string>();
        var dataOk = message?["data"] is not JsonObject data || data.All(p => p.Value?.GetValueKind() == JsonValueKind.String);
        var notificationOk = message?["notification"] is not JsonObject n || n.All(p => p.Value?.GetValueKind() == JsonValueKind.String);
        if (message is null || string.IsNullOrEmpty(token) || !dataOk || !notificationOk)
            return Raw(response, Error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", token is null ? "message.token" : "message.data"));
        if (Scripted.TryGetValue(token, out var queue) && queue.TryDequeue(out var scripted)) return Raw(response, scripted);
        Accepted.Enqueue(new ReceivedPush(token, message, arrivedAt));
        return Results.Json(new { name = $"projects/{project}/messages/{Guid.NewGuid():N}" });
    }

    private static IResult Raw(HttpResponse response, (int Status, string Body, string? RetryAfter) answer)
    {
        if (answer.RetryAfter is not null) response.Headers.RetryAfter = answer.RetryAfter;
        return Results.Content(answer.Body, "application/json", Encoding.UTF8, answer.Status);
    }

    private static byte[] Base64Url(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight(s.Length + (4 - s.Length % 4) % 4, '='));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
