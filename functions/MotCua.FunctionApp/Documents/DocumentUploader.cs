using System.Buffers;
using System.Security.Cryptography;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using MotCua.Domain.Documents;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Documents;

/// <param name="BlobETag">The stored blob's version: processing reads exactly these bytes, or notices they were replaced.</param>
public sealed record StoredDocument(string DocumentId, string BlobName, string FileName, string ContentType, long Length, string Sha256, DocumentKind Kind,
    int? Component = null, string? BlobETag = null);

/// <summary>
/// Streams one file into blob storage at <c>{dossierId}/{documentId}</c>: the type is judged from
/// the first bytes, the size limit is enforced while reading, and the SHA-256 is computed on the way.
/// Memory stays at about two blocks (ours and the SDK's) whatever the file's size.
/// </summary>
public sealed class DocumentUploader(BlobContainerClient documents, IOptions<DocumentOptions> options)
{
    private const int BlockBytes = 4 * 1024 * 1024;

    public async Task<StoredDocument> UploadAsync(string dossierId, string fileName, int? component, Stream content, CancellationToken cancellationToken)
    {
        var maxBytes = options.Value.MaxFileBytes;
        // One block is read first (never more than the limit allows): most documents end inside it and
        // go up in a single request; larger ones continue streaming block by block.
        var firstBlock = (int)Math.Min(BlockBytes, maxBytes + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(firstBlock);
        try
        {
            int read;
            try
            {
                read = await content.ReadAtLeastAsync(buffer.AsMemory(0, firstBlock), firstBlock, throwOnEndOfStream: false, cancellationToken);
            }
            catch (IOException e) when (e is not BadHttpRequestException)
            {
                throw Problems.Problems.MalformedMultipart(e.Message);
            }
            if (read == 0) throw Problems.Problems.EmptyFile(fileName);
            var whole = read < firstBlock;
            var head = buffer.AsSpan(0, Math.Min(read, DocumentKinds.SniffLength));
            var sniffed = whole ? DocumentKinds.SniffWhole(head, buffer.AsSpan(0, read), read) : DocumentKinds.Sniff(head);
            // A larger archive whose first entries name no office kind may still be an office file (System.IO.Packaging
            // writes [Content_Types].xml last): its kind is judged from its central directory once it has streamed past.
            var judgedAtEnd = !whole && sniffed == DocumentKind.Zip;
            if (sniffed is not { } kind || !(judgedAtEnd ? options.Value.AcceptsAnyZipContainer() : options.Value.Accepts(kind)))
                throw Problems.Problems.UnsupportedDocumentType(fileName);
            if (read > maxBytes) throw Problems.Problems.FileTooLarge(maxBytes);

            var documentId = Guid.CreateVersion7().ToString("N");
            var target = new StoredDocument(documentId, $"{dossierId}/{documentId}", fileName, kind.ContentType(), 0, string.Empty, kind, component);
            if (read < firstBlock)
            {
                var single = await UploadAsync(target, dossierId, new MemoryStream(buffer, 0, read, writable: false), cancellationToken);
                return target with { Length = read, Sha256 = Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, read))), BlobETag = single.Value.ETag.ToString() };
            }

            var tail = judgedAtEnd ? new TailBytes(ZipContainer.TailLength) : null;
            await using var stream = new DocumentContentStream(buffer.AsMemory(0, read), content, maxBytes, tail);
            Response<BlobContentInfo> uploaded;
            try
            {
                uploaded = await UploadAsync(target, dossierId, stream, cancellationToken);
            }
            catch (Exception) when (stream.LimitExceeded)
            {
                // Blocks staged before the limit was hit stay uncommitted: no blob exists, and storage discards them.
                throw Problems.Problems.FileTooLarge(maxBytes);
            }
            catch (Exception) when (stream.SourceFailure is { } failure)
            {
                if (failure is BadHttpRequestException) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                throw Problems.Problems.MalformedMultipart(failure.Message);
            }
            var stored = target with { Length = stream.BytesRead, Sha256 = stream.Sha256Hex(), BlobETag = uploaded.Value.ETag.ToString() };
            return tail is null ? stored : await JudgeAtEndAsync(stored, buffer.AsMemory(0, Math.Min(read, DocumentKinds.SniffLength)), tail, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The kind of an archive stored as a plain one, from its central directory: refused (and removed)
    /// if that kind is not accepted, else its blob's content type follows the kind now known.
    /// </summary>
    private async Task<StoredDocument> JudgeAtEndAsync(StoredDocument stored, ReadOnlyMemory<byte> head, TailBytes tail, CancellationToken cancellationToken)
    {
        var kind = ZipContainer.ClassifyWhole(head.Span, tail.ToArray(), stored.Length);
        var blob = documents.GetBlobClient(stored.BlobName);
        var written = new BlobRequestConditions { IfMatch = new ETag(stored.BlobETag!) };
        if (!options.Value.Accepts(kind))
        {
            await blob.DeleteIfExistsAsync(conditions: written, cancellationToken: CancellationToken.None);
            throw Problems.Problems.UnsupportedDocumentType(stored.FileName);
        }
        if (kind == stored.Kind) return stored;
        var updated = await blob.SetHttpHeadersAsync(new BlobHttpHeaders { ContentType = kind.ContentType() }, written, cancellationToken);
        return stored with { Kind = kind, ContentType = kind.ContentType(), BlobETag = updated.Value.ETag.ToString() };
    }

    private Task<Response<BlobContentInfo>> UploadAsync(StoredDocument target, string dossierId, Stream content, CancellationToken cancellationToken) =>
        documents.GetBlobClient(target.BlobName).UploadAsync(content, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = target.ContentType },
            Metadata = new Dictionary<string, string> { ["dossierid"] = dossierId, ["documentid"] = target.DocumentId },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            TransferOptions = new StorageTransferOptions
            {
                InitialTransferSize = BlockBytes,
                MaximumTransferSize = BlockBytes,
                MaximumConcurrency = 1,
            },
        }, cancellationToken);

    /// <summary>
    /// Stores every file part that follows in the request ("document" or "document:{component}"),
    /// one at a time as it streams in. Any refusal removes what this request had already stored.
    /// </summary>
    public async Task<List<StoredDocument>> UploadPartsAsync(MultipartReader reader, string dossierId, int componentCount, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var stored = new List<StoredDocument>();
        try
        {
            while (await MultipartParts.NextSectionAsync(reader, cancellationToken) is { } section)
            {
                var name = MultipartParts.PartName(section);
                if (!DocumentParts.IsDocument(name)) throw Problems.Problems.UnexpectedPart(name ?? string.Empty);
                var component = DocumentParts.Component(name!, componentCount);
                if (stored.Count == limits.MaxFilesPerSubmission) throw Problems.Problems.TooManyDocuments(limits.MaxFilesPerSubmission);
                if (!DocumentFileName.TryValidate(MultipartParts.FileName(section), out var fileName)) throw Problems.Problems.BadFileName();
                stored.Add(await UploadAsync(dossierId, fileName, component, section.Body, cancellationToken));
            }
            if (stored.Count == 0) throw Problems.Problems.NoDocument();
            return stored;
        }
        catch
        {
            await DeleteAsync(stored);
            throw;
        }
    }

    /// <summary>Removes what a refused submission had already stored.</summary>
    public Task DeleteAsync(IEnumerable<StoredDocument> stored) =>
        Task.WhenAll(stored.Select(d => documents.DeleteBlobIfExistsAsync(d.BlobName, cancellationToken: CancellationToken.None)));
}
