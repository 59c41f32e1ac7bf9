using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>
/// The <c>Idempotency-Key</c> of a submission, per user: a phone that retries after a timeout gets
/// the dossier its first attempt created instead of a second one. Rows live in the outbox table's
/// "idempotency|{user}" partitions: claimed before any write, completed with the dossier code.
/// </summary>
public sealed class SubmissionKeys(MotCuaTables tables, TimeProvider time)
{
    public const string Header = "Idempotency-Key";

    /// <summary>A claim older than this belongs to an attempt that died; a retry may take it over.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(5);

    public static string? Read(HttpRequest request)
    {
        var key = request.Headers[Header].ToString();
        if (key.Length == 0) return null;
        return key.Length <= 100 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? key
            : throw BadRequest("Idempotency-Key", "Khóa Idempotency-Key tối đa 100 ký tự chữ, số, '-', '_', '.', ':'.",
                "An Idempotency-Key has at most 100 letters, digits, '-', '_', '.' or ':'.");
    }

    /// <summary>The code of the dossier this key already created, or null after claiming the key for a new one.</summary>
    public async Task<string?> ClaimAsync(string userId, string key, CancellationToken cancellationToken)
    {
        var partition = "idempotency|" + userId;
        var row = new TableEntity(partition, key) { ["Code"] = string.Empty, ["ClaimedAt"] = time.GetUtcNow() };
        try
        {
            await tables.Outbox.AddEntityAsync(row, cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }

        var existing = (await tables.Outbox.GetEntityAsync<TableEntity>(partition, key, cancellationToken: cancellationToken)).Value;
        if (existing.GetString("Code") is { Length: > 0 } code) return code;
        if (time.GetUtcNow() - (existing.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue) < AbandonedAfter)
        {
            throw new Problems.ProblemException(409, "submission-in-progress", "Hồ sơ với khóa này đang được nộp", "A submission with this key is in progress",
                "Chờ lần nộp trước hoàn tất rồi thử lại.", "Wait for the earlier attempt to finish, then retry.");
        }
        try
        {
            // The earlier attempt died before creating its dossier: this one takes the key over.
            await tables.Outbox.UpdateEntityAsync(row, existing.ETag, TableUpdateMode.Replace, cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new Problems.ProblemException(409, "submission-in-progress", "Hồ sơ với khóa này đang được nộp", "A submission with this key is in progress");
        }
    }

    public Task CompleteAsync(string userId, string key, string code, CancellationToken cancellationToken) =>
        tables.Outbox.UpsertEntityAsync(new TableEntity("idempotency|" + userId, key) { ["Code"] = code, ["ClaimedAt"] = time.GetUtcNow() },
            TableUpdateMode.Replace, cancellationToken);

    /// <summary>Frees the key of a refused submission, so a corrected retry may use it.</summary>
    public Task ReleaseAsync(string userId, string key) =>
        tables.Outbox.DeleteEntityAsync("idempotency|" + userId, key, ETag.All, CancellationToken.None);
}
