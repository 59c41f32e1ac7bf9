using System.Buffers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Options;
using MotCua.Domain.Documents;

namespace MotCua.FunctionApp.Documents.Signatures;

/// <summary>
/// Verifies every signature of a PDF (<c>adbe.pkcs7.detached</c>, <c>ETSI.CAdES.detached</c>, and
/// <c>ETSI.RFC3161</c> document timestamps) and detached or enveloping <c>.p7s</c> files. Files are
/// read from disk in small buffers: the signed ranges are hashed as they stream past.
/// </summary>
public sealed class DocumentSignatureVerifier(TrustStore trustStore, TimeProvider time, IOptions<SignatureOptions> options)
{
    private const int HashBufferBytes = 128 * 1024;
    private const string DocumentTimestamp = "ETSI.RFC3161";

    /// <summary>Shown to officials as it is: Vietnamese, then English.</summary>
    public const string SignedContentMissing = "Thiếu nội dung được ký: chữ ký số tách rời được gửi mà hồ sơ không có tài liệu mà nó ký. "
        + "/ The signed content was not provided: the signature is detached and the dossier holds no document it signs.";

    /// <summary>Real documents carry a handful; a file stuffed with thousands is refused rather than read.</summary>
    private const int MaxSignatures = 30;

    /// <summary>Shown to officials as it is: Vietnamese, then English.</summary>
    public static readonly string TooManySignatures = $"Tệp chứa hơn {MaxSignatures} vùng chữ ký số nên không được kiểm tra. "
        + $"/ The file holds more than {MaxSignatures} signature dictionaries, so it is not checked.";

    /// <summary>Vietnamese, then English; the technical detail stays as the reader of the file gave it.</summary>
    public static string Damaged(string detail) =>
        $"Tệp bị hỏng, chữ ký số không đọc được (chi tiết kỹ thuật: {detail}) / The file is damaged: {detail}";

    public async Task<DocumentSignatures> VerifyPdfAsync(string path, CancellationToken cancellationToken)
    {
        var trust = await trustStore.CurrentAsync(cancellationToken);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
        var fields = PdfSignatureScanner.Scan(file, MaxSignatures + 1);
        if (fields.Count == 0) return DocumentSignatures.Unsigned;
        if (fields.Count > MaxSignatures) return DocumentSignatures.Malformed(TooManySignatures);

        // A dictionary whose byte range or /Contents cannot be read (a truncated or damaged file) names no
        // signer: it makes the file malformed, and is not listed as a signature.
        var damage = fields.Where(f => f.Problem is not null).Select(f => f.Problem!).ToList();
        var sound = new List<(PdfSignatureField Field, byte[] Contents)>();
        foreach (var field in fields.Where(f => f.Problem is null))
        {
            try
            {
                sound.Add((field, PdfSignatureScanner.ReadContents(file, field)));
            }
            catch (FormatException e)
            {
                damage.Add(e.Message);
            }
        }

        var changes = ChangesAfterSignatures(file, [.. sound.Select(s => s.Field.CoveredUpTo)]);
        var reports = new List<VerifiedSigner>();
        foreach (var (field, contents) in sound.OrderBy(s => s.Field.CoveredUpTo))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var coversWholeFile = OnlyPaddingAfter(file, field.CoveredUpTo);
            var digests = new Dictionary<HashAlgorithmName, byte[]>();
            byte[] Digest(HashAlgorithmName hash) => digests.TryGetValue(hash, out var d) ? d : digests[hash] = HashRanges(file, field.ByteRange!, hash);
            var modifiedAfter = changes.GetValueOrDefault(field.CoveredUpTo);
            if (field.SubFilter == DocumentTimestamp)
            {
                try
                {
                    reports.Add(VerifyDocumentTimestamp(contents, Digest, trust, coversWholeFile, field.CoveredUpTo, modifiedAfter));
                }
                catch (Exception e) when (e is not OperationCanceledException and not IOException)
                {
                    reports.Add(Malformed($"The document timestamp cannot be read: {e.Message}", field.SubFilter));
                }
                continue;
            }
            reports.AddRange(CmsSignatureVerifier.Verify(contents, Digest, trust, time.GetUtcNow(), field.SubFilter,
                coversWholeFile, field.CoveredUpTo, modifiedAfter, claimedInContainer: field.ClaimedTime));
        }
        var listed = reports.Select(r => r.Report).ToList();
        if (damage.Count > 0)
            return new DocumentSignatures(SignatureVerdict.Malformed, listed, Damaged(string.Join(" ", damage.Distinct())));
        return new DocumentSignatures(SignatureVerdicts.Worst(reports.Select(r => r.Verdict)), reports.Select(r => r.Report).ToList());
    }

    /// <summary>
    /// A <c>.p7s</c>: enveloping signatures carry their content; detached ones sign another document
    /// of the dossier, whose file <paramref name="signedFilePath"/> names (null when there is none).
    /// </summary>
    public async Task<DocumentSignatures> VerifyDetachedAsync(string signaturePath, string? signedFilePath, CancellationToken cancellationToken)
    {
        var trust = await trustStore.CurrentAsync(cancellationToken);
        var info = new FileInfo(signaturePath);
        if (info.Length > options.Value.MaxSignatureFileBytes)
            return DocumentSignatures.Malformed($"The signature file is larger than {options.Value.MaxSignatureFileBytes} bytes.");
        var cms = Unarmour(await File.ReadAllBytesAsync(signaturePath, cancellationToken));

        byte[]? attached;
        try
        {
            // The content as signed: written out by BouncyCastle, not re-wrapped as .NET does for some content types.
            var content = new Org.BouncyCastle.Cms.CmsSignedData(cms).SignedContent;
            if (content is null)
            {
                attached = null;
            }
            else
            {
                using var buffer = new MemoryStream();
                content.Write(buffer);
                attached = buffer.ToArray();
            }
        }
        catch (Exception e) when (e is Org.BouncyCastle.Cms.CmsException or IOException or ArgumentException or InvalidCastException or Org.BouncyCastle.Asn1.Asn1Exception)
        {
            return DocumentSignatures.Malformed($"The signature is not a CMS SignedData structure: {e.Message}");
        }

        Func<HashAlgorithmName, byte[]> digest;
        if (attached is not null) digest = hash => HashData(hash, attached);
        else if (signedFilePath is not null) digest = hash => HashFile(signedFilePath, hash);
        else return DocumentSignatures.Malformed(SignedContentMissing);

        var reports = CmsSignatureVerifier.Verify(cms, digest, trust, time.GetUtcNow(), "detached-cms", coversWholeFile: true, coveredBytes: null, modifiedAfter: null);
        return new DocumentSignatures(SignatureVerdicts.Worst(reports.Select(r => r.Verdict)), reports.Select(r => r.Report).ToList());
    }

    private VerifiedSigner VerifyDocumentTimestamp(byte[] contents, Func<HashAlgorithmName, byte[]> digest, TrustMaterial trust, bool coversWholeFile, long covered, string? modifiedAfter)
    {
        if (!Rfc3161TimestampToken.TryDecode(contents, out var token, out _))
            return Malformed("The document timestamp is not an RFC 3161 token.", DocumentTimestamp);
        var info = token.TokenInfo;
        var hash = info.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default) return Malformed($"Unsupported timestamp digest {info.HashAlgorithmId.Value}.", DocumentTimestamp);
        var signers = token.AsSignedCms().Certificates;
        SignatureVerdict verdict;
        string? reason = null;
        X509Certificate2? authority = null;
        if (!token.VerifySignatureForHash(digest(hash), hash, out authority, signers) || authority is null)
        {
            (verdict, reason) = (SignatureVerdict.Invalid, "The timestamp does not match the stamped bytes.");
        }
        else
        {
            (verdict, reason) = CertificateChains.Check(authority, signers, trust, info.Timestamp, time.GetUtcNow());
            if (verdict == SignatureVerdict.Valid && modifiedAfter is not null) (verdict, reason) = (SignatureVerdict.ModifiedAfterSigning, modifiedAfter);
        }
        return new VerifiedSigner(verdict, new SignatureReport(verdict.Slug(), verdict.Vietnamese(), reason, DocumentTimestamp,
            authority?.Subject, authority?.Issuer, authority?.SerialNumber, null, verdict == SignatureVerdict.Invalid ? null : info.Timestamp, coversWholeFile, covered));
    }

    /// <summary>
    /// For each signed revision that the file goes on after, why a later change is not permitted (null
    /// when every later change is): only files with more than one revision after a signature are read.
    /// </summary>
    private static IReadOnlyDictionary<long, string?> ChangesAfterSignatures(FileStream file, IReadOnlyList<long> signedEnds)
    {
        if (signedEnds.All(end => OnlyPaddingAfter(file, end))) return new Dictionary<long, string?>();
        var last = signedEnds.Max();
        return RevisionChanges.Judge(file, signedEnds, trailing: !OnlyPaddingAfter(file, last));
    }

    private static VerifiedSigner Malformed(string reason, string? subFilter) => new(SignatureVerdict.Malformed,
        new SignatureReport(SignatureVerdict.Malformed.Slug(), SignatureVerdict.Malformed.Vietnamese(), reason, subFilter, null, null, null, null, null, false, null));

    /// <summary>Some tools end the file with a newline after the signed <c>%%EOF</c>: that is not new content.</summary>
    private static bool OnlyPaddingAfter(FileStream file, long covered)
    {
        var rest = file.Length - covered;
        if (rest <= 0) return true;
        if (rest > 16) return false;
        Span<byte> tail = stackalloc byte[(int)rest];
        file.Position = covered;
        file.ReadExactly(tail);
        foreach (var b in tail) if (b is not ((byte)'\r' or (byte)'\n' or (byte)' ' or 0)) return false;
        return true;
    }

    private static byte[] HashRanges(FileStream file, long[] range, HashAlgorithmName hash)
    {
        using var digest = IncrementalHash.CreateHash(hash);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferBytes);
        try
        {
            for (var r = 0; r < 4; r += 2)
            {
                file.Position = range[r];
                var left = range[r + 1];
                while (left > 0)
                {
                    var read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                    if (read == 0) throw new EndOfStreamException();
                    digest.AppendData(buffer, 0, read);
                    left -= read;
                }
            }
            return digest.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] HashFile(string path, HashAlgorithmName hash)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, HashBufferBytes, FileOptions.SequentialScan);
        using var digest = IncrementalHash.CreateHash(hash);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferBytes);
        try
        {
            int read;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0) digest.AppendData(buffer, 0, read);
            return digest.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] HashData(HashAlgorithmName hash, byte[] data)
    {
        using var digest = IncrementalHash.CreateHash(hash);
        digest.AppendData(data);
        return digest.GetHashAndReset();
    }

    /// <summary>PEM-armoured signatures are decoded; DER passes through.</summary>
    private static byte[] Unarmour(byte[] bytes)
    {
        if (bytes.Length == 0 || bytes[0] != (byte)'-') return bytes;
        var text = Encoding.ASCII.GetString(bytes);
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal));
        try
        {
            return Convert.FromBase64String(string.Concat(lines));
        }
        catch (FormatException)
        {
            return bytes;
        }
    }
}
