using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.Domain.Correspondence;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Dossiers;

namespace MotCua.FunctionApp.Issuance;

/// <summary>
/// Answers the public check of an issued document, by the id its QR code carries or for a PDF
/// someone sends. A sent PDF is spooled to a temporary file that is deleted when the answer is
/// made: it is never stored.
/// </summary>
public sealed class PublicDocumentChecks(ResultStore results, ResultFiles files, DossierStore dossiers, DocumentSignatureVerifier verifier,
    IOptions<ResultOptions> options, OutgoingStore outgoing, OutgoingAccess agencies)
{
    public async Task<PublicDocumentCheck> ByCheckIdAsync(string checkId, CancellationToken cancellationToken)
    {
        if (!ResultStore.IsWellFormedCheckId(checkId)) throw ResultProblems.CheckNotFound();
        var index = await results.FindByCheckIdAsync(checkId, cancellationToken) ?? throw ResultProblems.CheckNotFound();
        if (await OutgoingAsync(index, cancellationToken) is { } own)
        {
            if (own.CheckId != checkId || own.IssuedBlob is null) throw ResultProblems.CheckNotFound();
            await using var copy = Spool();
            await using (var file = await files.OpenReadAsync(own.IssuedBlob, cancellationToken))
                await file.CopyToAsync(copy, cancellationToken);
            return await AnswerAsync(own, copy, cancellationToken);
        }
        var row = await results.FindAsync(index.DossierCode, cancellationToken);
        // A check id exists from the draft on; until the document is issued the check knows nothing of it.
        if (row is null || row.CheckId != checkId || row.IssuedBlob is null) throw ResultProblems.CheckNotFound();
        await using var spool = Spool();
        await using (var issued = await files.OpenReadAsync(row.IssuedBlob, cancellationToken))
            await issued.CopyToAsync(spool, cancellationToken);
        return await AnswerAsync(row, spool, cancellationToken);
    }

    public async Task<PublicDocumentCheck> ForFileAsync(Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxCheckBytes;
        if (declaredLength > limit) throw Problems.Problems.FileTooLarge(limit);
        await using var spool = Spool();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit) throw Problems.Problems.FileTooLarge(limit);
            hash.AppendData(buffer, 0, read);
            await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        if (total < 5) throw ResultProblems.NotAPdf();
        spool.Position = 0;
        var head = new byte[5];
        await spool.ReadExactlyAsync(head, cancellationToken);
        if (!head.AsSpan().SequenceEqual("%PDF-"u8)) throw ResultProblems.NotAPdf();

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        var index = await results.FindBySha256Async(sha256, cancellationToken);
        if (await OutgoingAsync(index, cancellationToken) is { } issued && issued.IssuedSha256 == sha256) return await AnswerAsync(issued, spool, cancellationToken);
        var row = index is null ? null : await results.FindAsync(index.DossierCode, cancellationToken);
        return await AnswerAsync(row is not null && row.IssuedSha256 == sha256 ? row : null, spool, cancellationToken);
    }

    private async Task<PublicDocumentCheck> AnswerAsync(ResultEntity? row, FileStream spool, CancellationToken cancellationToken)
    {
        await spool.FlushAsync(cancellationToken);
        var verdicts = await verifier.VerifyPdfAsync(spool.Name, cancellationToken);
        var signatures = verdicts.Signatures.Select(s => new PublicSignature(s.Signer, s.TimestampTime ?? s.SigningTime, s.TimestampTime is not null,
            s.Verdict == SignatureVerdict.Valid.Slug(), s.Verdict, s.VerdictText)).ToList();
        if (row is null)
            return new PublicDocumentCheck(false, "unknown", "Văn bản không do hệ thống MotCua ban hành, hoặc đã bị thay đổi sau khi ban hành.",
                null, null, null, null, null, signatures);
        var procedure = (await dossiers.GetAsync(row.PartitionKey, cancellationToken))?.Dossier.ProcedureName;
        var cancelled = row.StageValue == ResultStage.Cancelled;
        return new PublicDocumentCheck(true, cancelled ? "cancelled" : "issued",
            cancelled ? "Văn bản đã bị hủy." : "Văn bản do hệ thống MotCua ban hành, đang có hiệu lực.",
            row.PartitionKey, procedure, row.IssuedAt, row.CancelledAt, row.CancelReason, signatures);
    }

    /// <summary>The agency's own document an index entry names, when it names one (results are indexed by dossier code).</summary>
    private async Task<OutgoingDocumentEntity?> OutgoingAsync(PublicCheckEntity? index, CancellationToken cancellationToken) =>
        index is not null && OutgoingDocumentId.TryParse(index.DossierCode, out var id) ? await outgoing.FindAsync(id.Value, cancellationToken) : null;

    private async Task<PublicDocumentCheck> AnswerAsync(OutgoingDocumentEntity d, FileStream spool, CancellationToken cancellationToken)
    {
        var answer = await AnswerAsync((ResultEntity?)null, spool, cancellationToken);
        var issuer = (await agencies.UnitAsync(d.Agency, cancellationToken))?.Name ?? d.Agency;
        var recalled = d.State == OutgoingStatus.Recalled;
        return answer with
        {
            IssuedHere = true,
            Status = recalled ? "cancelled" : "issued",
            StatusText = recalled ? "Văn bản đã bị cơ quan ban hành thu hồi." : $"Văn bản do {issuer} ban hành qua hệ thống MotCua, đang có hiệu lực.",
            IssuedAt = d.IssuedAt,
            CancelledAt = d.RecalledAt,
            CancelReason = d.RecallReason,
            Document = new CheckedDocument(d.Symbol, d.DocumentType, d.Summary, issuer),
        };
    }

    private static FileStream Spool() => new(Path.Combine(Path.GetTempPath(), $"motcua-check-{Guid.NewGuid():N}.pdf"), FileMode.CreateNew, FileAccess.ReadWrite,
        FileShare.Read, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
