using System.Text.Json.Serialization;

namespace MotCua.Signing.RemoteSigning;

// The JSON of the Cloud Signature Consortium API v2 (csc-api v2.0.0.2), the members MotCua uses.

public sealed record CscCredentialsListRequest(
    [property: JsonPropertyName("credentialInfo")] bool CredentialInfo = false,
    [property: JsonPropertyName("maxResults")] int? MaxResults = null);

public sealed record CscCredentialsListResponse(
    [property: JsonPropertyName("credentialIDs")] IReadOnlyList<string> CredentialIds);

public sealed record CscCredentialInfoRequest(
    [property: JsonPropertyName("credentialID")] string CredentialId,
    [property: JsonPropertyName("certificates")] string Certificates = "chain",
    [property: JsonPropertyName("certInfo")] bool CertInfo = true,
    [property: JsonPropertyName("authInfo")] bool AuthInfo = true);

public sealed record CscKeyInfo(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("algo")] IReadOnlyList<string> Algorithms,
    [property: JsonPropertyName("len")] int Length,
    [property: JsonPropertyName("curve")] string? Curve = null);

public sealed record CscCertificateInfo(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("certificates")] IReadOnlyList<string>? Certificates,
    [property: JsonPropertyName("subjectDN")] string? SubjectDn = null,
    [property: JsonPropertyName("issuerDN")] string? IssuerDn = null);

public sealed record CscAuthInput(
    [property: JsonPropertyName("presence")] string Presence,
    [property: JsonPropertyName("format")] string? Format = null,
    [property: JsonPropertyName("label")] string? Label = null,
    [property: JsonPropertyName("description")] string? Description = null);

public sealed record CscCredentialInfo(
    [property: JsonPropertyName("key")] CscKeyInfo Key,
    [property: JsonPropertyName("cert")] CscCertificateInfo Certificate,
    [property: JsonPropertyName("authMode")] string AuthMode,
    [property: JsonPropertyName("PIN")] CscAuthInput? Pin = null,
    [property: JsonPropertyName("OTP")] CscAuthInput? Otp = null,
    [property: JsonPropertyName("SCAL")] string? Scal = null,
    [property: JsonPropertyName("multisign")] int Multisign = 1,
    [property: JsonPropertyName("description")] string? Description = null);

public sealed record CscAuthorizeRequest(
    [property: JsonPropertyName("credentialID")] string CredentialId,
    [property: JsonPropertyName("numSignatures")] int NumSignatures,
    [property: JsonPropertyName("hashes")] IReadOnlyList<string> Hashes,
    [property: JsonPropertyName("hashAlgorithmOID")] string HashAlgorithmOid,
    [property: JsonPropertyName("PIN")] string? Pin = null,
    [property: JsonPropertyName("OTP")] string? Otp = null);

public sealed record CscAuthorizeResponse(
    [property: JsonPropertyName("SAD")] string Sad,
    [property: JsonPropertyName("expiresIn")] int? ExpiresIn = null);

public sealed record CscSignHashRequest(
    [property: JsonPropertyName("credentialID")] string CredentialId,
    [property: JsonPropertyName("SAD")] string Sad,
    [property: JsonPropertyName("hashes")] IReadOnlyList<string> Hashes,
    [property: JsonPropertyName("hashAlgorithmOID")] string HashAlgorithmOid,
    [property: JsonPropertyName("signAlgo")] string SignAlgo);

public sealed record CscSignHashResponse(
    [property: JsonPropertyName("signatures")] IReadOnlyList<string> Signatures);

/// <summary>An error as the API gives it: an OAuth-style code and a description.</summary>
public sealed record CscError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? Description = null);

/// <summary>The OIDs CSC requests name.</summary>
public static class CscAlgorithms
{
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string RsaEncryption = "1.2.840.113549.1.1.1";
    public const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";
}
