using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using MotCua.Domain.Documents;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Documents;

public sealed record StoredDocument(string DocumentId, string BlobName, string FileName, string ContentType, long Length, string Sha256);

/// <summary>
/// Streams one file into blob storage at <c>{dossierId}/{documentId}</c>: the type is judged from
/// the first bytes, the size limit is enforced while reading, and the SHA-256 is computed on the way.
/// Memory stays at one block whatever the file's size.
/// </summary>
public sealed class DocumentUploader(BlobContainerClient documents, IOptions<DocumentOptions> options)
{
    private const int BlockBytes = 4 * 1024 * 1024;

    public async Task<StoredDocument> UploadAsync(string dossierId, string fileName, Stream content, CancellationToken cancellationToken)
    {
        var head = new byte[PdfHeader.SniffLength];
        int headLength;
        try
        {
            headLength = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        catch (IOException e) when (e is not BadHttpRequestException)
        {
            throw Problems.Problems.MalformedMultipart(e.Message);
        }
        if (headLength == 0) throw Problems.Problems.EmptyFile(fileName);
        if (!PdfHeader.IsPdf(head.AsSpan(0, headLength))) throw Problems.Problems.NotAPdf(fileName);

        var documentId = Guid.CreateVersion7().ToString("N");
        var blobName = $"{dossierId}/{documentId}";
        const string contentType = "application/pdf";
        var maxBytes = options.Value.MaxFileBytes;
        await using var stream = new DocumentContentStream(head.AsMemory(0, headLength), content, maxBytes);
        try
        {
            await documents.GetBlobClient(blobName).UploadAsync(stream, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = new Dictionary<string, string> { ["dossierid"] = dossierId, ["documentid"] = documentId },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                TransferOptions = new StorageTransferOptions
                {
                    InitialTransferSize = BlockBytes,
                    MaximumTransferSize = BlockBytes,
                    MaximumConcurrency = 1,
                },
            }, cancellationToken);
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
        return new StoredDocument(documentId, blobName, fileName, contentType, stream.BytesRead, stream.Sha256Hex());
    }

    /// <summary>Removes what a refused submission had already stored.</summary>
    public Task DeleteAsync(IEnumerable<StoredDocument> stored) =>
        Task.WhenAll(stored.Select(d => documents.DeleteBlobIfExistsAsync(d.BlobName, cancellationToken: CancellationToken.None)));
}
