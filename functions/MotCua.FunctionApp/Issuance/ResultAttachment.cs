using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Dossiers;
using MotCua.Signing;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Issuance;

/// <summary>
/// The specialist attaches the result (a certificate, licence or decision as a PDF) while handling
/// the dossier, before submitting it for approval. The file streams to its blob and is checked to be
/// signable there; only then does the row point at it. Attaching again replaces the draft.
/// </summary>
public sealed class ResultAttachment(DossierStore dossiers, ProcedureCatalog catalog, ResultStore results, ResultFiles files,
    Microsoft.Extensions.Options.IOptions<ResultOptions> options, TimeProvider time)
{
    public async Task<ResultEntity> AttachAsync(string code, CurrentUser user, string? fileName, Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        if (!DossierCode.TryParse(code, out _)) throw BadDossierCode(code);
        var name = string.IsNullOrWhiteSpace(fileName) ? "ket-qua.pdf" : fileName.Trim();
        if (SafeText.Check("fileName", name) is { } unsafeName) throw InvalidFields([unsafeName]);
        if (name.Length > 200 || !name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) throw BadFileName();
        if (declaredLength > options.Value.MaxFileBytes) throw FileTooLarge(options.Value.MaxFileBytes);

        var found = await dossiers.GetAsync(code, cancellationToken) ?? throw DossierNotFound(code);
        DossierReader.EnsureMaySee(user, found.Dossier);
        await EnsureHandlerAsync(found.Dossier, user, cancellationToken);
        var existing = await results.FindAsync(code, cancellationToken);
        if (existing is { StageValue: not ResultStage.Draft }) throw ResultProblems.Locked(existing.StageValue);

        var revision = (existing?.Revision ?? 0) + 1;
        var blobName = ResultFiles.Draft(code, revision);
        var blob = await files.BlobAsync(blobName, cancellationToken);
        var (length, sha256) = await UploadAsync(blob, body, options.Value.MaxFileBytes, cancellationToken);
        try
        {
            await EnsureSignableAsync(blobName, cancellationToken);
            var row = existing ?? new ResultEntity { PartitionKey = code, CheckId = ResultStore.NewCheckId() };
            row.Stage = (int)ResultStage.Draft;
            row.Revision = revision;
            row.FileName = name;
            row.DraftBlob = blobName;
            row.DraftSha256 = sha256;
            row.DraftLength = length;
            row.AttachedBy = user.Id;
            row.AttachedAt = time.GetUtcNow();
            await results.IndexCheckIdAsync(row.CheckId, code, cancellationToken);
            try
            {
                await results.SaveAsync(row, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                throw ResultProblems.ResultChanged();
            }
            return row;
        }
        catch
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }
    }

    /// <summary>The official handling the dossier's current, non-approval step in its holding unit.</summary>
    private async Task EnsureHandlerAsync(DossierEntity d, CurrentUser user, CancellationToken cancellationToken)
    {
        var procedure = await catalog.FindVersionAsync(d.ProcedureCode, d.ProcedureVersion, cancellationToken);
        var step = procedure is not null && d.Step >= 0 && d.Step < procedure.Workflow.Count ? procedure.Workflow[d.Step] : null;
        if ((DossierStatus)d.Status != DossierStatus.InProgress || step is null || step.IsApproval) throw ResultProblems.NotAttachableNow();
        if (!user.IsOfficial || user.Unit != d.HolderUnit || user.Role != step.Role)
            throw Forbidden("Chỉ cán bộ đang xử lý hồ sơ được đính kèm kết quả.", "Only the official handling the dossier attaches its result.");
    }

    internal static async Task<(long Length, string Sha256)> UploadAsync(Azure.Storage.Blobs.BlobClient blob, Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var counted = new CountingStream(body, maxBytes, hash);
        try
        {
            await blob.UploadAsync(counted, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/pdf" } }, cancellationToken);
        }
        catch (FileTooLargeException)
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw FileTooLarge(maxBytes);
        }
        if (counted.Counted == 0)
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw EmptyFile("result");
        }
        return (counted.Counted, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private async Task EnsureSignableAsync(string blobName, CancellationToken cancellationToken)
    {
        await using var stream = await files.OpenReadAsync(blobName, cancellationToken);
        var head = new byte[5];
        if (await stream.ReadAtLeastAsync(head, 5, throwOnEndOfStream: false, cancellationToken) < 5 || !head.AsSpan().SequenceEqual("%PDF-"u8))
            throw ResultProblems.NotAPdf();
        try
        {
            stream.Position = 0;
            PdfSigner.EnsureSignable(stream);
        }
        catch (PdfSigningException e)
        {
            throw ResultProblems.NotSignable(e.Message);
        }
    }
}

/// <summary>Passes a request body through, hashing and counting it, and stops it past the limit.</summary>
internal sealed class CountingStream(Stream inner, long maxBytes, IncrementalHash hash) : Stream
{
    public long Counted { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Counted += read;
        if (Counted > maxBytes) throw new FileTooLargeException();
        hash.AppendData(buffer.Span[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Counted; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

internal sealed class FileTooLargeException : Exception;
