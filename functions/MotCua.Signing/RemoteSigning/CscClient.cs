using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MotCua.Signing.RemoteSigning;

public sealed class RemoteSigningOptions
{
    public const string Section = "Signing:RemoteSigning";

    /// <summary>The service's CSC API base, ending in <c>/csc/v2/</c>; remote signing is off without it.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>How long one call may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// A Cloud Signature Consortium API v2 client. Every call carries the signing person's OAuth access
/// token for the service (scope <c>service</c> or <c>credential</c>), which the caller obtained.
/// </summary>
public sealed class CscClient(HttpClient http, RemoteSigningOptions options)
{
    public bool Enabled => options.BaseUrl is not null;

    public async Task<IReadOnlyList<string>> ListCredentialsAsync(string accessToken, CancellationToken cancellationToken) =>
        (await PostAsync<CscCredentialsListRequest, CscCredentialsListResponse>("credentials/list", new(), accessToken, cancellationToken)).CredentialIds;

    public Task<CscCredentialInfo> GetCredentialInfoAsync(string accessToken, string credentialId, CancellationToken cancellationToken) =>
        PostAsync<CscCredentialInfoRequest, CscCredentialInfo>("credentials/info", new(credentialId), accessToken, cancellationToken);

    /// <summary>Explicit authorization: the SAD for these SHA-256 digests, activated by the PIN and/or OTP the person gave.</summary>
    public Task<CscAuthorizeResponse> AuthorizeAsync(string accessToken, string credentialId, IReadOnlyList<byte[]> sha256Hashes,
        string? pin, string? otp, CancellationToken cancellationToken) =>
        PostAsync<CscAuthorizeRequest, CscAuthorizeResponse>("credentials/authorize",
            new(credentialId, sha256Hashes.Count, [.. sha256Hashes.Select(Convert.ToBase64String)], CscAlgorithms.Sha256, pin, otp),
            accessToken, cancellationToken);

    public async Task<IReadOnlyList<byte[]>> SignHashAsync(string accessToken, string credentialId, string sad, IReadOnlyList<byte[]> sha256Hashes,
        string signAlgo, CancellationToken cancellationToken)
    {
        var response = await PostAsync<CscSignHashRequest, CscSignHashResponse>("signatures/signHash",
            new(credentialId, sad, [.. sha256Hashes.Select(Convert.ToBase64String)], CscAlgorithms.Sha256, signAlgo), accessToken, cancellationToken);
        if (response.Signatures.Count != sha256Hashes.Count)
            throw new RemoteSigningException(502, "invalid_response", $"{response.Signatures.Count} signatures came back for {sha256Hashes.Count} hashes.");
        return [.. response.Signatures.Select(Convert.FromBase64String)];
    }

    private async Task<TResponse> PostAsync<TRequest, TResponse>(string method, TRequest body, string accessToken, CancellationToken cancellationToken)
    {
        var baseUrl = options.BaseUrl ?? throw new RemoteSigningException(503, "not_configured", "No remote signing service is configured.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, method)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.IsSuccessStatusCode)
                return await response.Content.ReadFromJsonAsync<TResponse>(timeout.Token)
                    ?? throw new RemoteSigningException(502, "invalid_response", $"{method} answered an empty body.");
            var error = await ErrorOf(response, timeout.Token);
            throw new RemoteSigningException((int)response.StatusCode, error?.Error ?? "http_" + (int)response.StatusCode, error?.Description);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RemoteSigningException(504, "timeout", $"{method} did not answer within {options.Timeout.TotalSeconds:0} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new RemoteSigningException(503, "unreachable", $"The remote signing service cannot be reached ({method}).", e);
        }
        catch (JsonException e)
        {
            throw new RemoteSigningException(502, "invalid_response", $"{method} answered JSON that does not follow the API.", e);
        }
    }

    private static async Task<CscError?> ErrorOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return response.Content.Headers.ContentType?.MediaType == "application/json"
                ? await response.Content.ReadFromJsonAsync<CscError>(cancellationToken)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// The remote service refused or failed. <see cref="Error"/> is the API's code (invalid_pin,
/// invalid_otp, invalid_request, invalid_token, access_denied…), <see cref="Status"/> its HTTP status.
/// </summary>
public sealed class RemoteSigningException(int status, string error, string? description, Exception? inner = null)
    : Exception($"{error}: {description}", inner)
{
    public int Status { get; } = status;
    public string Error { get; } = error;
    public string? Description { get; } = description;
}
