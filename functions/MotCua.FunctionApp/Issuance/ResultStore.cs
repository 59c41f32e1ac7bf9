using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Issuance;

/// <summary>Where an issued document's public check finds it: by its check id, and by the SHA-256 of the issued file.</summary>
public sealed class PublicCheckEntity : ITableEntity
{
    public const string ByCheckId = "check";
    public const string BySha256 = "sha256";

    public string PartitionKey { get; set; } = default!;
    public string RowKey { get; set; } = default!;
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string DossierCode { get; set; } = default!;
    public string CheckId { get; set; } = default!;
}

/// <summary>A dossier's result row and the public check index.</summary>
public sealed class ResultStore(MotCuaTables tables)
{
    public async Task<ResultEntity?> FindAsync(string code, CancellationToken cancellationToken)
    {
        var row = await tables.Dossiers.GetEntityIfExistsAsync<ResultEntity>(code, ResultEntity.Row, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>Adds a new row, or replaces the one read, if no one changed it since (409 or 412 otherwise).</summary>
    public async Task SaveAsync(ResultEntity row, CancellationToken cancellationToken)
    {
        var response = row.ETag == default
            ? await tables.Dossiers.AddEntityAsync(row, cancellationToken)
            : await tables.Dossiers.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        row.ETag = response.Headers.ETag ?? default;
    }

    /// <summary>128 random bits, URL-safe: the QR code's address cannot be guessed from a dossier code.</summary>
    public static string NewCheckId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool IsWellFormedCheckId(string? id) => id is { Length: 22 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Indexes a check id before the document that carries it exists: a QR code never points nowhere.</summary>
    public Task IndexCheckIdAsync(string checkId, string code, CancellationToken cancellationToken) =>
        tables.PublicChecks.UpsertEntityAsync(new PublicCheckEntity
        {
            PartitionKey = PublicCheckEntity.ByCheckId, RowKey = checkId, DossierCode = code, CheckId = checkId,
        }, TableUpdateMode.Replace, cancellationToken);

    public Task IndexIssuedFileAsync(string sha256, string checkId, string code, CancellationToken cancellationToken) =>
        tables.PublicChecks.UpsertEntityAsync(new PublicCheckEntity
        {
            PartitionKey = PublicCheckEntity.BySha256, RowKey = sha256, DossierCode = code, CheckId = checkId,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<PublicCheckEntity?> FindByCheckIdAsync(string checkId, CancellationToken cancellationToken)
    {
        var row = await tables.PublicChecks.GetEntityIfExistsAsync<PublicCheckEntity>(PublicCheckEntity.ByCheckId, checkId, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    public async Task<PublicCheckEntity?> FindBySha256Async(string sha256, CancellationToken cancellationToken)
    {
        var row = await tables.PublicChecks.GetEntityIfExistsAsync<PublicCheckEntity>(PublicCheckEntity.BySha256, sha256, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }
}
