using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;

namespace MotCua.DemoServices;

/// <summary>
/// An RFC 3161 time-stamping authority: answers a TimeStampReq with a TimeStampResp, granted with a
/// token signed by the authority's certificate (and carrying it when asked), or rejected with the
/// failure reason. Built on BouncyCastle's TSP generators.
/// </summary>
public sealed class TimestampResponder
{
    // Any policy OID will do for a demo authority; verifiers must not depend on a particular one.
    public const string PolicyOid = "1.3.6.1.4.1.99999.1.1";

    private readonly TimeStampResponseGenerator _responses;
    private readonly TimeProvider _time;

    public TimestampResponder(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, TimeProvider time)
    {
        Certificate = certificate;
        _time = time;
        var bcCertificate = DotNetUtilities.FromX509Certificate(certificate);
        var signerInfo = new SignerInfoGeneratorBuilder().Build(
            new Asn1SignatureFactory(SignatureAlgorithm(certificate), PrivateKey(certificate)), bcCertificate);
        // A SHA-256 certificate digest makes the token carry signing-certificate-v2 (RFC 5816), which .NET requires.
        var tokens = new TimeStampTokenGenerator(
            signerInfo, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256), new DerObjectIdentifier(PolicyOid), isIssuerSerialIncluded: true);
        tokens.SetCertificates(CollectionUtilities.CreateStore(
            chain.Select(DotNetUtilities.FromX509Certificate).Prepend(bcCertificate).ToList()));
        _responses = new TimeStampResponseGenerator(tokens, TspAlgorithms.Allowed);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The DER TimeStampResp for a DER TimeStampReq.</summary>
    public byte[] Respond(byte[] query)
    {
        TimeStampRequest request;
        try
        {
            request = new TimeStampRequest(query);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException or TspException)
        {
            return _responses.GenerateFailResponse(PkiStatus.Rejection, PkiFailureInfo.BadDataFormat, "The request is not a TimeStampReq.").GetEncoded();
        }
        var serial = new BigInteger(1, RandomNumberGenerator.GetBytes(16));
        return _responses.Generate(request, serial, _time.GetUtcNow().UtcDateTime).GetEncoded();
    }

    private static string SignatureAlgorithm(X509Certificate2 certificate) =>
        certificate.GetKeyAlgorithm() == "1.2.840.113549.1.1.1" ? "SHA256WITHRSA" : "SHA256WITHECDSA";

    private static Org.BouncyCastle.Crypto.AsymmetricKeyParameter PrivateKey(X509Certificate2 certificate)
    {
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new ArgumentException($"{certificate.Subject} has no private key.", nameof(certificate));
        using (key) return PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
    }
}

public static class TimestampEndpoints
{
    public const string QueryMediaType = "application/timestamp-query";
    public const string ReplyMediaType = "application/timestamp-reply";
    private const int MaxQueryBytes = 16 * 1024;

    /// <summary>RFC 3161 §3.4: POST application/timestamp-query, answered with application/timestamp-reply.</summary>
    public static IEndpointRouteBuilder MapTimestampAuthority(this IEndpointRouteBuilder app, string path, TimestampResponder responder)
    {
        app.MapPost(path, async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            if (!string.Equals(request.ContentType, QueryMediaType, StringComparison.OrdinalIgnoreCase))
                return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            if (request.ContentLength > MaxQueryBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            var buffer = new byte[MaxQueryBytes + 1];
            var length = await request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            if (length > MaxQueryBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            return Results.Bytes(responder.Respond(buffer[..length]), ReplyMediaType);
        });
        return app;
    }
}
