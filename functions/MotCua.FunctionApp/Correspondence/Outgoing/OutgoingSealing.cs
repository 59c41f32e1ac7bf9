using Microsoft.Extensions.Options;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Issuance;
using MotCua.FunctionApp.Signing;
using MotCua.Signing;
using MotCua.Signing.Appearance;
using MotCua.Signing.Forms;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.Signing.Timestamps;

namespace MotCua.FunctionApp.Correspondence.Outgoing;

/// <summary>
/// Once numbered, the document gets the agency's seal signature, time-stamped, over the whole file,
/// with the seal drawn over the left third of the person's signature; it is then issued. The file is
/// written under a name of this attempt first: a crash before the row changes leaves the document
/// numbered and signed by the person only, and the event's next delivery seals it again.
/// </summary>
public sealed class OutgoingSealing(OutgoingStore store, OutgoingDelivery delivery, OutgoingAccess access, ResultFiles files, SealKey seal, SignatureAppearances appearances, IServiceProvider services,
    IOptions<TimestampAuthorityOptions> timestamps, TimeProvider time, ILogger<OutgoingSealing> logger) : IOutgoingEventHandler
{
    public async Task HandleAsync(OutgoingEvent change, CancellationToken cancellationToken)
    {
        if (change.To != (int)OutgoingStatus.Numbered || !OutgoingDocumentId.TryParse(change.Id, out var id)) return;
        var d = await store.FindAsync(id.Value, cancellationToken);
        if (d is not { State: OutgoingStatus.Numbered }) return;

        var signer = await seal.GetAsync(cancellationToken);
        var authority = timestamps.Value.Url is null ? null : services.GetRequiredService<ITimestampAuthority>();
        var issuedName = OutgoingFiles.Issued(d.Id);
        var target = await files.BlockBlobAsync(issuedName, cancellationToken);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        long length;
        // The number and date go into the person's fields first (a change their signature permits), on a local copy the seal then reads.
        var numbered = Path.Combine(Path.GetTempPath(), $"motcua-{Guid.NewGuid():N}.pdf");
        try
        {
            await using (var source = await files.OpenReadAsync(d.SignedBlob!, cancellationToken))
            await using (var filled = new FileStream(numbered, FileMode.CreateNew, FileAccess.Write, FileShare.None, 128 * 1024, FileOptions.Asynchronous))
            {
                var placement = OutgoingNumberFields.Placement(source, PdfSigner.PageBoxes(source));
                source.Position = 0;
                await PdfFieldFiller.FillAsync(source, placement.Values(OutgoingNumberFields.Number, DocumentNumbering.Number(d.Number!.Value), d.Notation!,
                    OutgoingNumberFields.Date, Days.Parse(d.IssueDate)!.Value), filled, cancellationToken);
            }
            await using var numberedFile = new FileStream(numbered, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024, FileOptions.Asynchronous | FileOptions.RandomAccess);
            var pages = PdfSigner.PageBoxes(numberedFile);
            var block = appearances.Block(d.Agency, d.SignedBy!, d.SigningAuthority is { } line ? SigningAuthority.Parse(line) : null, d.SignerPosition ?? string.Empty,
                d.SignedByName!);
            var request = new PdfSignatureRequest
            {
                Certificate = signer.Certificate,
                Chain = signer.Chain,
                SigningTime = time.GetUtcNow(),
                SignerName = signer.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false),
                Reason = $"Ban hành văn bản số {d.Symbol}",
                Appearance = appearances.SignerBlock(d.Agency, block, pages, SignatureBlockLayers.Seal),
            };
            numberedFile.Position = 0;
            await using var output = await target.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken);
            await using var hashing = new HashingWriteStream(output, hash);
            await PdfSigner.SignAsync(numberedFile, signer, request, authority, hashing, cancellationToken);
            length = hashing.Written;
        }
        finally
        {
            File.Delete(numbered);
        }
        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        var attachments = await SealAttachmentsAsync(d, signer, authority, cancellationToken);
        if (d.CheckId is { } checkId) await services.GetRequiredService<ResultStore>().IndexIssuedFileAsync(sha256, checkId, d.Id, cancellationToken);
        try
        {
            d = await store.ApplyAsync(d, d.Version, (row, _) =>
            {
                row.IssuedAttachments = OutgoingViewMapping.Serialize(attachments);
                row.IssuedBlob = issuedName;
                row.IssuedSha256 = sha256;
                row.IssuedLength = length;
                row.IssuedAt = time.GetUtcNow();
                return ValueTask.FromResult(new OutgoingChange(OutgoingStatus.Issued, "issued", $"Văn thư đã ký số của cơ quan và ban hành văn bản số {row.Symbol}.",
                    new { sha256, length }));
            }, "system", cancellationToken);
            OutgoingLog.Issued(logger, d.Id, d.Symbol!, length);
        }
        catch (OutgoingVersionConflictException)
        {
            // Another delivery issued it first: its file is the one the row names.
            await target.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            foreach (var attachment in attachments) await (await files.BlobAsync(attachment.Blob, CancellationToken.None)).DeleteIfExistsAsync();
            return;
        }
        // Sent at once, without waiting for the issued event's turn in the queue; that event delivers whatever this could not.
        try
        {
            await delivery.DeliverAsync(d, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            OutgoingLog.DeliveryDeferred(logger, d.Id, e);
        }
    }

    /// <summary>The agency's signature on each attachment, shown as the copy stamp: the agency's name and the time at the top right of its first page.</summary>
    private async Task<List<OutgoingAttachment>> SealAttachmentsAsync(OutgoingDocumentEntity d, IHashSigner signer, ITimestampAuthority? authority,
        CancellationToken cancellationToken)
    {
        var agencyName = (await access.UnitAsync(d.Agency, cancellationToken))?.Name ?? d.Agency;
        var sealedFiles = new List<OutgoingAttachment>();
        foreach (var (attachment, index) in OutgoingViewMapping.Attachments(d.Attachments).Select((a, i) => (a, i + 1)))
        {
            var name = OutgoingFiles.IssuedAttachment(d.Id, index);
            var target = await files.BlockBlobAsync(name, cancellationToken);
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            await using var source = await files.OpenReadAsync(attachment.Blob, cancellationToken);
            var now = time.GetUtcNow();
            var request = new PdfSignatureRequest
            {
                Certificate = signer.Certificate,
                Chain = signer.Chain,
                SigningTime = now,
                SignerName = signer.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false),
                Reason = $"Phụ lục {index} của văn bản số {d.Symbol}",
                Appearance = appearances.CopyStamp(d.Agency, new CopyStamp(agencyName, now), PdfSigner.PageBoxes(source)),
            };
            source.Position = 0;
            await using (var output = await target.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken))
            await using (var hashing = new HashingWriteStream(output, hash))
            {
                await PdfSigner.SignAsync(source, signer, request, authority, hashing, cancellationToken);
                sealedFiles.Add(new OutgoingAttachment(attachment.FileName, name, hashing.Written, ""));
            }
            sealedFiles[^1] = sealedFiles[^1] with { Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()) };
        }
        return sealedFiles;
    }
}

internal static partial class OutgoingLog
{
    [LoggerMessage(1, LogLevel.Information, "Outgoing document {Id} issued as {Symbol}: {Length} bytes, signed by the person and sealed")]
    public static partial void Issued(ILogger logger, string id, string symbol, long length);

    [LoggerMessage(3, LogLevel.Warning, "Outgoing document {Id} could not be delivered at once; its issued event delivers it")]
    public static partial void DeliveryDeferred(ILogger logger, string id, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Outgoing document {Id} delivered to {Recipient} as {IncomingId}")]
    public static partial void Delivered(ILogger logger, string id, string recipient, string incomingId);
}
