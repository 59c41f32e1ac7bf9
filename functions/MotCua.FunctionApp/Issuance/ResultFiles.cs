using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Issuance;

/// <summary>
/// The results container: per dossier and revision the draft, the person-signed and the issued
/// PDF, and the signatures waiting for a phone. A signed file's name carries the attempt that wrote
/// it, so two attempts at once (a message delivered twice) never write over each other: the row
/// points at the one whose change was recorded.
/// </summary>
public sealed class ResultFiles(BlobServiceClient blobs, IOptions<StorageOptions> storage)
{
    public const string Container = "results";
    private readonly BlobContainerClient _container = blobs.GetBlobContainerClient(storage.Value.Prefix + Container);
    private volatile bool _created;

    public static string Draft(string code, int revision) => $"{code}/{revision}/draft.pdf";
    public static string PersonSigned(string code, int revision, string preparationId) => $"{code}/{revision}/person-signed-{preparationId}-{Attempt()}.pdf";
    public static string Issued(string code, int revision) => $"{code}/{revision}/issued-{Attempt()}.pdf";

    private static string Attempt() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
    public static string Preparation(string code, string preparationId) => $"{code}/prepared/{preparationId}.json";

    public async Task<BlobClient> BlobAsync(string name, CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
            _created = true;
        }
        return _container.GetBlobClient(name);
    }

    /// <summary>For writing a file as a stream of blocks, committed when the stream is closed.</summary>
    public async Task<BlockBlobClient> BlockBlobAsync(string name, CancellationToken cancellationToken)
    {
        await BlobAsync(name, cancellationToken);
        return _container.GetBlockBlobClient(name);
    }

    /// <summary>A seekable read that fails if the blob changes underneath.</summary>
    public async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) =>
        await (await BlobAsync(name, cancellationToken)).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = 256 * 1024 }, cancellationToken);
}
