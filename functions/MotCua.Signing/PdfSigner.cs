using System.Security.Cryptography;
using System.Text;
using MotCua.Signing.Cms;
using MotCua.Signing.Pdf;

namespace MotCua.Signing;

/// <summary>
/// PAdES baseline signatures (ETSI.CAdES.detached, SHA-256, signing-certificate-v2, a signature
/// time-stamp for B-T, the document security store for B-LT), each one an incremental update, so
/// earlier signatures stay valid. The source is read in a bounded buffer: once when MotCua holds the
/// key, hashed as it is copied; twice when a phone or a service signs in between (hashed when the
/// signature is prepared, hashed again as it is copied, so a changed source is refused).
/// </summary>
public static class PdfSigner
{
    private const int BufferBytes = 128 * 1024;

    /// <summary>Throws <see cref="PdfSigningException"/> unless <paramref name="pdf"/> (seekable) can take an incremental signature.</summary>
    public static void EnsureSignable(Stream pdf)
    {
        using var revision = PdfRevision.Open(pdf);
    }

    /// <summary>The media box of each page, for placing what a signature draws.</summary>
    public static IReadOnlyList<UglyToad.PdfPig.Core.PdfRectangle> PageBoxes(Stream pdf)
    {
        using var revision = PdfRevision.Open(pdf);
        return revision.PageBoxes();
    }

    /// <summary>Prepares a signature over <paramref name="source"/> (seekable) for the key of <see cref="PdfSignatureRequest.Certificate"/>.</summary>
    public static Task<PreparedSignature> PrepareAsync(Stream source, PdfSignatureRequest request, CancellationToken cancellationToken) =>
        PrepareAsync(source, request, copyTo: null, cancellationToken);

    /// <param name="copyTo">Receives the source as it is hashed, when the signature completes in the same go.</param>
    private static async Task<PreparedSignature> PrepareAsync(Stream source, PdfSignatureRequest request, Stream? copyTo, CancellationToken cancellationToken)
    {
        SignatureUpdateBuilder.Result built;
        long sourceLength;
        using (var revision = PdfRevision.Open(source))
        {
            built = new SignatureUpdateBuilder(revision, request).Build();
            sourceLength = revision.Length;
        }
        SignatureUpdateBuilder.WriteByteRange(built.Update, sourceLength, built.ByteRangeOffset, built.ContentsOffset, built.ContentsLength);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        source.Position = 0;
        if (await CopyAsync(source, sourceLength, hash, copyTo, cancellationToken) != sourceLength)
            throw new PdfSigningException("unreadable-pdf", "The PDF ended before its length.");
        AppendUpdateWithoutContents(hash, built.Update, built.ContentsOffset, built.ContentsLength);
        var documentDigest = hash.GetHashAndReset();

        var signedAttributes = CadesSignedAttributes.Encode(documentDigest, request.Certificate);
        return new PreparedSignature
        {
            SourceLength = sourceLength,
            DocumentDigest = documentDigest,
            Update = built.Update,
            ContentsOffset = built.ContentsOffset,
            ContentsLength = built.ContentsLength,
            SignedAttributes = signedAttributes,
            DigestToSign = CadesSignedAttributes.DigestToSign(signedAttributes),
            Certificate = request.Certificate.RawData,
            Chain = [.. request.Chain.Select(c => c.RawData)],
            FieldName = built.FieldName,
            SigningTime = request.SigningTime,
        };
    }

    /// <summary>
    /// Checks <paramref name="signatureValue"/> against the prepared digest and the signer's public
    /// key, time-stamps it when an authority is given, and writes the signed file: the unchanged
    /// source, then the update. A source that is not the one prepared is refused; what was written
    /// to <paramref name="destination"/> must then be discarded.
    /// </summary>
    public static async Task CompleteAsync(Stream source, PreparedSignature prepared, byte[] signatureValue,
        ITimestampAuthority? timestamps, Stream destination, CancellationToken cancellationToken)
    {
        if (source.CanSeek && source.Length != prepared.SourceLength)
            throw new PdfSigningException("document-changed", "The document changed since the signature was prepared.");
        var update = await SignedUpdateAsync(prepared, signatureValue, timestamps, cancellationToken);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (source.CanSeek) source.Position = 0;
        var copied = await CopyAsync(source, prepared.SourceLength, hash, destination, cancellationToken);
        AppendUpdateWithoutContents(hash, prepared.Update, prepared.ContentsOffset, prepared.ContentsLength);
        if (copied != prepared.SourceLength || !CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), prepared.DocumentDigest))
            throw new PdfSigningException("document-changed", "The document changed since the signature was prepared.");
        await destination.WriteAsync(update, cancellationToken);
    }

    /// <summary>
    /// Prepares, signs with a key MotCua can reach, and completes, in one go: the source is read once,
    /// hashed as it is copied to <paramref name="destination"/>, and nothing can change it between.
    /// </summary>
    public static async Task SignAsync(Stream source, IHashSigner signer, PdfSignatureRequest request,
        ITimestampAuthority? timestamps, Stream destination, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(source, request with { Certificate = signer.Certificate, Chain = request.Chain.Count > 0 ? request.Chain : signer.Chain },
            destination, cancellationToken);
        var signature = await signer.SignDigestAsync(prepared.DigestToSign, cancellationToken);
        await destination.WriteAsync(await SignedUpdateAsync(prepared, signature, timestamps, cancellationToken), cancellationToken);
    }

    /// <summary>The update with the CMS in its <c>/Contents</c>, once the signature is checked against the digest and the signer's key.</summary>
    private static async Task<byte[]> SignedUpdateAsync(PreparedSignature prepared, byte[] signatureValue, ITimestampAuthority? timestamps,
        CancellationToken cancellationToken)
    {
        var signer = prepared.SignerCertificate();
        var value = CmsSignedData.ToCmsForm(signer, signatureValue);
        if (!CmsSignedData.Verifies(signer, prepared.DigestToSign, value))
            throw new PdfSigningException("signature-mismatch", "The signature does not verify over the prepared digest with the signer's certificate.");
        var token = timestamps is null ? null : await timestamps.TimestampAsync(SHA256.HashData(value), cancellationToken);
        var cms = CmsSignedData.Encode(signer, prepared.ChainCertificates(), prepared.SignedAttributes, value, token);
        var hex = Encoding.ASCII.GetBytes(Convert.ToHexString(cms));
        if (hex.Length > prepared.ContentsLength - 2)
            throw new PdfSigningException("signature-too-large", $"The signature needs {cms.Length} bytes; {(prepared.ContentsLength - 2) / 2} were reserved.");
        var update = (byte[])prepared.Update.Clone();
        hex.CopyTo(update, prepared.ContentsOffset + 1);
        return update;
    }

    private static void AppendUpdateWithoutContents(IncrementalHash hash, byte[] update, int contentsOffset, int contentsLength)
    {
        hash.AppendData(update, 0, contentsOffset);
        hash.AppendData(update, contentsOffset + contentsLength, update.Length - contentsOffset - contentsLength);
    }

    private static async Task<long> CopyAsync(Stream source, long length, IncrementalHash hash, Stream? destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferBytes];
        long total = 0;
        while (total < length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - total)), cancellationToken);
            if (read == 0) break;
            hash.AppendData(buffer, 0, read);
            if (destination is not null) await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
        }
        return total;
    }
}
