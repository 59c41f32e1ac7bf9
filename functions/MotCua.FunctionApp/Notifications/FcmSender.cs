using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Apis.Auth.OAuth2;
using Microsoft.Extensions.Options;

namespace MotCua.FunctionApp.Notifications;

public enum PushOutcome
{
    Sent,

    /// <summary>FCM says the token is dead or not ours: the device must be forgotten.</summary>
    TokenRejected,

    /// <summary>Refused for another reason; retrying will not help.</summary>
    Failed,

    /// <summary>FCM stayed overloaded or unavailable through every attempt; the step may try again later.</summary>
    Unavailable,
}

public sealed record PushResult(PushOutcome Outcome, string? Code = null);

/// <summary>
/// Sends one message through the FCM HTTP v1 API with a service-account OAuth token
/// (<c>Google.Apis.Auth</c>). Bounded concurrency; 429, 500 and 503 are retried with jittered
/// exponential backoff that honours <c>Retry-After</c>; tokens FCM rejects are reported for clean-up.
/// </summary>
public sealed class FcmSender : IDisposable
{
    private const string Scope = "https://www.googleapis.com/auth/firebase.messaging";
    private static readonly Meter Meter = new("MotCua.Push");
    private static readonly Counter<long> Sent = Meter.CreateCounter<long>("motcua.push.sent");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("motcua.push.errors");

    private readonly PushOptions _options;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _concurrency;
    private readonly ServiceAccountCredential? _credential;
    private readonly string? _projectId;
    private readonly ILogger<FcmSender> _logger;

    private readonly TimeProvider _time;

    public FcmSender(IOptions<PushOptions> options, IHttpClientFactory httpClients, TimeProvider time, ILogger<FcmSender> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _http = httpClients.CreateClient(nameof(FcmSender));
        _concurrency = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        var json = _options.ServiceAccountJson ?? (_options.ServiceAccountFile is { Length: > 0 } file && File.Exists(file) ? File.ReadAllText(file) : null);
        if (json is null) return;
        var key = JsonDocument.Parse(json).RootElement;
        _projectId = key.GetProperty("project_id").GetString();
        var tokenUri = _options.TokenUri ?? key.GetProperty("token_uri").GetString()!;
        _credential = new ServiceAccountCredential(new ServiceAccountCredential.Initializer(key.GetProperty("client_email").GetString(), tokenUri)
        {
            Scopes = [Scope],
        }.FromPrivateKey(key.GetProperty("private_key").GetString()));
    }

    public bool Enabled => _credential is not null;

    public async Task<PushResult> SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        if (_credential is null) throw new InvalidOperationException("Push is off: no FCM service account is configured.");
        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                HttpResponseMessage response;
                try
                {
                    var accessToken = await _credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"{_options.BaseUrl.TrimEnd('/')}/v1/projects/{_projectId}/messages:send")
                    {
                        Content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                    response = await _http.SendAsync(request, cancellationToken);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested
                    && e is HttpRequestException or TaskCanceledException or Google.Apis.Auth.OAuth2.Responses.TokenResponseException)
                {
                    // The network, a timeout or the token endpoint: as retryable as a 503.
                    Errors.Add(1, new KeyValuePair<string, object?>("code", e.GetType().Name));
                    if (attempt >= _options.MaxAttempts) return new PushResult(PushOutcome.Unavailable, e.GetType().Name);
                    await Task.Delay(Delay(attempt, null), _time, cancellationToken);
                    continue;
                }

                using (response)
                {
                    if (response.IsSuccessStatusCode)
                    {
                        Sent.Add(1);
                        return new PushResult(PushOutcome.Sent);
                    }

                    var (status, errorCode, namesToken) = await ReadErrorAsync(response, cancellationToken);
                    var code = errorCode ?? status ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    Errors.Add(1, new KeyValuePair<string, object?>("code", code));
                    if (errorCode is "UNREGISTERED" or "SENDER_ID_MISMATCH" || (errorCode is "INVALID_ARGUMENT" or null && status == "INVALID_ARGUMENT" && namesToken))
                        return new PushResult(PushOutcome.TokenRejected, code);
                    var retryable = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
                        or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
                    if (!retryable)
                    {
                        PushLog.Refused(_logger, (int)response.StatusCode, code);
                        return new PushResult(PushOutcome.Failed, code);
                    }
                    var asked = RetryAfter(response.Headers.RetryAfter);
                    // A pause longer than we will hold a slot for goes back to the queue, which retries later.
                    if (attempt >= _options.MaxAttempts || asked > _options.MaxRetryDelay) return new PushResult(PushOutcome.Unavailable, code);
                    await Task.Delay(Delay(attempt, asked), _time, cancellationToken);
                }
            }
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? retryAfter) =>
        retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - _time.GetUtcNow() : null);

    /// <summary>Exponential with full jitter, never sooner than the server's Retry-After.</summary>
    private TimeSpan Delay(int attempt, TimeSpan? asked)
    {
        var ceiling = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, _options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        // Half fixed, half random: retries of a burst spread out, and every retry really pauses
        // (a fully random pause of a few milliseconds can round to none at all).
        var jittered = TimeSpan.FromMilliseconds(ceiling * (0.5 + Random.Shared.NextDouble() * 0.5));
        return asked is { } floor && floor > jittered ? floor : jittered;
    }

    /// <summary>The google.rpc status, the FCM error code and whether a field violation names the token.</summary>
    private static async Task<(string? Status, string? ErrorCode, bool NamesToken)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))?["error"];
            string? errorCode = null;
            var namesToken = false;
            foreach (var detail in error?["details"]?.AsArray() ?? [])
            {
                errorCode ??= detail?["errorCode"]?.GetValue<string>();
                foreach (var violation in detail?["fieldViolations"]?.AsArray() ?? [])
                    namesToken |= violation?["field"]?.GetValue<string>() == "message.token";
            }
            return (error?["status"]?.GetValue<string>(), errorCode, namesToken);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return (null, null, false);
        }
    }

    public void Dispose() => _concurrency.Dispose();
}

internal static partial class PushLog
{
    [LoggerMessage(1, LogLevel.Warning, "Push notifications are off: no FCM service account is configured (Notifications:Fcm:ServiceAccountFile). The inbox still works.")]
    public static partial void Off(ILogger logger);

    [LoggerMessage(2, LogLevel.Warning, "FCM refused a message: {Status} {Code}")]
    public static partial void Refused(ILogger logger, int status, string code);

    [LoggerMessage(3, LogLevel.Information, "Push of {NotificationId} to device {DeviceId}: {Outcome}")]
    public static partial void Pushed(ILogger logger, string notificationId, string deviceId, PushOutcome outcome);

    [LoggerMessage(5, LogLevel.Warning, "An official could not be recorded in the member directory")]
    public static partial void MemberNotRecorded(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "Dossier {DossierCode} event {Sequence}: {Count} notifications")]
    public static partial void Notified(ILogger logger, string dossierCode, int sequence, int count);

    [LoggerMessage(6, LogLevel.Information, "Dossier {DossierCode}: {Kind} reminder to {Count} officials")]
    public static partial void Reminded(ILogger logger, string dossierCode, string kind, int count);

    [LoggerMessage(7, LogLevel.Information, "Dossier {DossierCode} moved on: {Kind} reminder not sent")]
    public static partial void ReminderMovedOn(ILogger logger, string dossierCode, string kind);
}
