using System.Security.Cryptography.X509Certificates;
using Azure.Storage.Blobs.Specialized;
using MotCua.Domain.Dossiers;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Signing;
using MotCua.Signing;
using Microsoft.Extensions.Options;
using MotCua.Signing.Timestamps;

namespace MotCua.FunctionApp.Issuance;

/// <summary>The records clerk's finish asks for the agency's seal on a result the person has signed.</summary>
public sealed record ResultSealRequest(string Code, int Revision)
{
    public const string Subject = "result-seal";
}

/// <summary>
/// Seals a person-signed result with the agency's key, time-stamped, and issues it: the file first
/// (under a name of this attempt), then the public check's index, then the row, then
/// the citizen's notification. A failure before the row changes leaves the result signed by the
/// person only, and the message's next delivery (or a replay of its dead letter) seals it again.
/// </summary>
public sealed class ResultSealFunction(ResultStore results, ResultFiles files, DossierStore dossiers, SealKey seal, ResultAppearance appearance, TrustStore trust,
    IServiceProvider services, IOptions<TimestampAuthorityOptions> timestamps, Notifier notifier, TimeProvider time, ILogger<ResultSealFunction> logger)
    : IQueueHandler<ResultSealRequest>
{
    public const string Queue = "result-seal";
    public static readonly FunctionDeclaration Declaration = new("SealResult", new QueueTrigger(Queue));

    public async Task HandleAsync(QueueMessage<ResultSealRequest> message, CancellationToken cancellationToken)
    {
        var (code, revision) = (message.Body.Code, message.Body.Revision);
        var row = await results.FindAsync(code, cancellationToken);
        if (row is null || row.Revision != revision) return;
        if (row.StageValue == ResultStage.PersonSigned)
        {
            if (row.SealRequestedAt is null) return;
            await SealAsync(row, cancellationToken);
        }
        if (row.StageValue is ResultStage.Issued && await dossiers.GetAsync(code, cancellationToken) is { } found)
        {
            var d = found.Dossier;
            await notifier.NotifyAsync(new CitizenAudience(d.OwnerId),
                new NotificationFacts(NotificationKinds.ResultIssued, code, d.ProcedureName, (DossierStatus)d.Status, null),
                row.IssuedAt!.Value, $"result-{revision}", cancellationToken);
        }
    }

    private async Task SealAsync(ResultEntity row, CancellationToken cancellationToken)
    {
        var signer = await seal.GetAsync(cancellationToken);
        var authority = timestamps.Value.Url is null ? null : services.GetRequiredService<ITimestampAuthority>();
        var issuedName = ResultFiles.Issued(row.PartitionKey, row.Revision);
        var target = await files.BlockBlobAsync(issuedName, cancellationToken);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        long length;
        var unit = (await dossiers.GetAsync(row.PartitionKey, cancellationToken))?.Dossier.ReceivingUnit
            ?? throw new InvalidOperationException($"Dossier {row.PartitionKey} is missing.");
        await using (var source = await files.OpenReadAsync(row.PersonSignedBlob!, cancellationToken))
        {
            var pages = PdfSigner.PageBoxes(source);
            var request = new PdfSignatureRequest
            {
                Certificate = signer.Certificate,
                Chain = signer.Chain,
                SigningTime = time.GetUtcNow(),
                SignerName = signer.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false),
                Reason = $"Ban hành kết quả giải quyết hồ sơ {row.PartitionKey}",
                Appearance = appearance.Seal(unit, row, pages),
                Revocation = await RevocationAsync(signer, cancellationToken),
            };
            source.Position = 0;
            await using var output = await target.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken);
            await using var hashing = new HashingWriteStream(output, hash);
            await PdfSigner.SignAsync(source, signer, request, authority, hashing, cancellationToken);
            length = hashing.Written;
        }
        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        await results.IndexIssuedFileAsync(sha256, row.CheckId, row.PartitionKey, cancellationToken);
        row.Stage = (int)ResultStage.Issued;
        row.IssuedBlob = issuedName;
        row.IssuedSha256 = sha256;
        row.IssuedLength = length;
        row.IssuedAt = time.GetUtcNow();
        try
        {
            await results.SaveAsync(row, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another delivery issued it first: its file is the one the row names.
            await target.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }
        IssuanceLog.Issued(logger, row.PartitionKey, row.Revision, length);
    }

    /// <summary>
    /// The validation material at hand for the document security store (B-LT): the seal's issuers up to
    /// the trust anchor, from its chain or the trust store, and the revocation lists the store holds for them.
    /// </summary>
    private async Task<RevocationMaterial> RevocationAsync(IHashSigner signer, CancellationToken cancellationToken)
    {
        var material = await trust.CurrentAsync(cancellationToken);
        List<X509Certificate2> known = [.. signer.Chain, .. material.Intermediates, .. material.Anchors];
        List<X509Certificate2> path = [];
        for (var current = signer.Certificate; path.Count < 8;)
        {
            var issuer = known.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData) && !path.Contains(c));
            if (issuer is null) break;
            path.Add(issuer);
            if (issuer.SubjectName.RawData.AsSpan().SequenceEqual(issuer.IssuerName.RawData)) break;
            current = issuer;
        }
        var issuers = path.Select(c => Convert.ToBase64String(c.SubjectName.RawData)).ToHashSet();
        var crls = material.Crls.Where(crl => issuers.Contains(Convert.ToBase64String(crl.IssuerDN.GetEncoded()))).Select(crl => crl.GetEncoded());
        return new RevocationMaterial([.. path.Select(c => c.RawData)], [.. crls], []);
    }
}

/// <summary>Hashes what passes through to the blob, so the issued file's SHA-256 needs no second read.</summary>
internal sealed class HashingWriteStream(Stream inner, System.Security.Cryptography.IncrementalHash hash) : Stream
{
    public long Written { get; private set; }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        hash.AppendData(buffer.Span);
        Written += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override void Flush() => inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Written;
    public override long Position { get => Written; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

internal static partial class IssuanceLog
{
    [LoggerMessage(1, LogLevel.Information, "Result of dossier {Code} (revision {Revision}) issued: {Length} bytes, signed by the person and sealed")]
    public static partial void Issued(ILogger logger, string code, int revision, long length);
}
