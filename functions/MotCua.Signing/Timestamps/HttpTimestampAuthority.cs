using System.Formats.Asn1;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace MotCua.Signing.Timestamps;

public sealed class TimestampAuthorityOptions
{
    public const string Section = "Signing:Timestamp";

    /// <summary>The authority's RFC 3161 HTTP address; time-stamping is off without it.</summary>
    public Uri? Url { get; set; }

    /// <summary>How long one request may take before the authority counts as unavailable.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The TSA policy to ask for (an OID); the authority's default when empty.</summary>
    public string? PolicyOid { get; set; }
}

/// <summary>
/// An RFC 3161 client over HTTP (§3.4): a time-stamp query with a fresh nonce that asks for the
/// authority's certificate, posted as application/timestamp-query. The reply must carry a granted
/// token for the same imprint and nonce, signed by the certificate it names; whether that authority
/// is trusted is the verifier's concern.
/// </summary>
public sealed class HttpTimestampAuthority(HttpClient http, TimestampAuthorityOptions options) : ITimestampAuthority
{
    private const string QueryMediaType = "application/timestamp-query";
    private const string ReplyMediaType = "application/timestamp-reply";

    public async Task<byte[]> TimestampAsync(byte[] sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (sha256.Length != SHA256.HashSizeInBytes) throw new ArgumentException("A SHA-256 digest has 32 bytes.", nameof(sha256));
        var url = options.Url ?? throw new TimestampUnavailableException("No time-stamping authority is configured.");
        var request = Rfc3161TimestampRequest.CreateFromHash(
            sha256, HashAlgorithmName.SHA256,
            requestedPolicyId: string.IsNullOrEmpty(options.PolicyOid) ? null : new Oid(options.PolicyOid),
            nonce: RandomNumberGenerator.GetBytes(16), requestSignerCertificates: true);

        byte[] reply;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.Timeout);
            using var content = new ByteArrayContent(request.Encode());
            content.Headers.ContentType = new MediaTypeHeaderValue(QueryMediaType);
            try
            {
                using var response = await http.PostAsync(url, content, timeout.Token);
                if (!response.IsSuccessStatusCode)
                    throw new TimestampUnavailableException($"The time-stamping authority answered HTTP {(int)response.StatusCode}.");
                if (response.Content.Headers.ContentType?.MediaType is { } type && !type.Equals(ReplyMediaType, StringComparison.OrdinalIgnoreCase))
                    throw new TimestampUnavailableException($"The time-stamping authority answered {type}, not {ReplyMediaType}.");
                reply = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimestampUnavailableException($"The time-stamping authority did not answer within {options.Timeout.TotalSeconds:0} s.", e);
            }
            catch (HttpRequestException e)
            {
                throw new TimestampUnavailableException("The time-stamping authority cannot be reached.", e);
            }
        }
        return TokenOf(request, reply, sha256);
    }

    private static byte[] TokenOf(Rfc3161TimestampRequest request, byte[] reply, byte[] sha256)
    {
        Rfc3161TimestampToken token;
        try
        {
            // Checks the status, the imprint, the nonce and that the signer's certificate is included.
            token = request.ProcessResponse(reply, out _);
        }
        catch (CryptographicException e)
        {
            throw new TimestampUnavailableException($"The time-stamping authority refused or answered something else: {e.Message}", e);
        }
        if (!token.VerifySignatureForHash(sha256, HashAlgorithmName.SHA256, out _, extraCandidates: null))
            throw new TimestampUnavailableException("The time-stamp token is not signed by the certificate it names.");
        return TokenBytes(reply);
    }

    // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo OPTIONAL }: the token as the authority encoded it.
    private static byte[] TokenBytes(byte[] reply)
    {
        var sequence = new AsnReader(reply, AsnEncodingRules.BER).ReadSequence();
        sequence.ReadEncodedValue();
        return sequence.ReadEncodedValue().ToArray();
    }
}
