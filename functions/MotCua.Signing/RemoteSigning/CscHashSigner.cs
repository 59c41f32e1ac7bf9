using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MotCua.Signing.RemoteSigning;

/// <summary>
/// A person's key held by a remote signing service, used through the CSC API with explicit
/// authorization: each digest is authorized with the PIN or OTP the person gave (the SAD is bound
/// to that digest), then signed. What comes back is checked against the certificate before use.
/// </summary>
public sealed class CscHashSigner : IHashSigner
{
    private readonly CscClient _client;
    private readonly string _accessToken;
    private readonly string _credentialId;
    private readonly string _signAlgo;
    private readonly string? _pin;
    private readonly string? _otp;

    private CscHashSigner(CscClient client, string accessToken, string credentialId, X509Certificate2 certificate,
        IReadOnlyList<X509Certificate2> chain, string signAlgo, string? pin, string? otp)
    {
        _client = client;
        _accessToken = accessToken;
        _credentialId = credentialId;
        Certificate = certificate;
        Chain = chain;
        _signAlgo = signAlgo;
        _pin = pin;
        _otp = otp;
    }

    public X509Certificate2 Certificate { get; }

    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>Reads the credential's certificates and key, ready to sign with the given PIN and/or OTP.</summary>
    public static async Task<CscHashSigner> OpenAsync(CscClient client, string accessToken, string credentialId, string? pin, string? otp,
        CancellationToken cancellationToken)
    {
        var info = await client.GetCredentialInfoAsync(accessToken, credentialId, cancellationToken);
        if (!string.Equals(info.Key.Status, "enabled", StringComparison.OrdinalIgnoreCase))
            throw new RemoteSigningException(409, "key_disabled", $"The key of credential {credentialId} is {info.Key.Status}.");
        if (info.Certificate.Certificates is not { Count: > 0 } encoded)
            throw new RemoteSigningException(502, "invalid_response", $"credentials/info gave no certificate for {credentialId}.");
        var certificates = encoded.Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c))).ToList();
        var certificate = certificates[0];
        var signAlgo = certificate.GetKeyAlgorithm() switch
        {
            CscAlgorithms.RsaEncryption => info.Key.Algorithms.Contains(CscAlgorithms.Sha256WithRsa) ? CscAlgorithms.Sha256WithRsa : CscAlgorithms.RsaEncryption,
            CscAlgorithms.EcPublicKey => CscAlgorithms.EcdsaWithSha256,
            var other => throw new RemoteSigningException(422, "unsupported_key", $"The key algorithm {other} is not supported."),
        };
        return new CscHashSigner(client, accessToken, credentialId, certificate, certificates[1..], signAlgo, pin, otp);
    }

    public async Task<byte[]> SignDigestAsync(byte[] sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (sha256.Length != SHA256.HashSizeInBytes) throw new ArgumentException("A SHA-256 digest has 32 bytes.", nameof(sha256));
        var sad = await _client.AuthorizeAsync(_accessToken, _credentialId, [sha256], _pin, _otp, cancellationToken);
        var signature = (await _client.SignHashAsync(_accessToken, _credentialId, sad.Sad, [sha256], _signAlgo, cancellationToken))[0];
        return Checked(sha256, signature);
    }

    private byte[] Checked(byte[] sha256, byte[] signature)
    {
        using var rsa = Certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            if (rsa.VerifyHash(sha256, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) return signature;
        }
        else
        {
            using var ecdsa = Certificate.GetECDsaPublicKey()!;
            // Services differ in how they return ECDSA: CMS wants the DER SEQUENCE of r and s.
            if (IsDerSequence(signature) && ecdsa.VerifyHash(sha256, signature, DSASignatureFormat.Rfc3279DerSequence)) return signature;
            if (ecdsa.VerifyHash(sha256, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                return ToDer(signature);
        }
        throw new RemoteSigningException(502, "invalid_signature", "The signature returned does not verify with the credential's certificate.");
    }

    private static bool IsDerSequence(byte[] signature)
    {
        try
        {
            var reader = new AsnReader(signature, AsnEncodingRules.DER);
            reader.ReadSequence();
            return !reader.HasData;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static byte[] ToDer(byte[] p1363)
    {
        var half = p1363.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new System.Numerics.BigInteger(p1363.AsSpan(0, half), isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new System.Numerics.BigInteger(p1363.AsSpan(half), isUnsigned: true, isBigEndian: true));
        }
        return writer.Encode();
    }
}
