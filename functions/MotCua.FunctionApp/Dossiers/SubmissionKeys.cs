using Azure;
using Azure.Data.Tables;
using MotCua.FunctionApp.Storage;
using static MotCua.FunctionApp.Problems.Problems;

namespace MotCua.FunctionApp.Dossiers;

/// <summary>
/// A submission's hold on its <c>Idempotency-Key</c>: either the dossier an earlier attempt created
/// (<see cref="Created"/>), or the right to create one, under the code <see cref="ReservedCode"/>
/// when an earlier attempt already reserved it.
/// </summary>
/// <remarks><see cref="Attempt"/> names this attempt on the row, so an attempt taken over never frees its successor's key.</remarks>
public sealed record SubmissionClaim(string UserId, string Key, string Attempt, ETag ETag, string? ReservedCode, bool Created = false);

/// <summary>
/// The <c>Idempotency-Key</c> of a submission, per user: a phone that retries after a timeout gets
/// the dossier its first attempt created instead of a second one. Rows live in the outbox table's
/// "idempotency|{user}" partitions. The key is claimed before any write, and the dossier's code is
/// recorded against it before the dossier is written, so whenever an attempt dies, a retry finds
/// the dossier it may have created, and an attempt taken over writes under the same code: of two,
/// only one dossier can be written.
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

    public async Task<SubmissionClaim> ClaimAsync(string userId, string key, CancellationToken cancellationToken)
    {
        var partition = Partition(userId);
        try
        {
            var attempt = NewAttempt();
            var added = await tables.Outbox.AddEntityAsync(Row(userId, key, attempt, code: null), cancellationToken);
            return new SubmissionClaim(userId, key, attempt, added.Headers.ETag ?? ETag.All, ReservedCode: null);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }

        var existing = (await tables.Outbox.GetEntityAsync<TableEntity>(partition, key, cancellationToken: cancellationToken)).Value;
        var code = existing.GetString("Code") is { Length: > 0 } c ? c : null;
        if (code is not null && await DossierExistsAsync(code, cancellationToken))
            return new SubmissionClaim(userId, key, existing.GetString("Attempt") ?? string.Empty, existing.ETag, code, Created: true);
        if (time.GetUtcNow() - (existing.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.MinValue) < AbandonedAfter) throw InProgress();
        try
        {
            // The earlier attempt died before writing its dossier: this one takes the key over, with the code it reserved.
            var attempt = NewAttempt();
            var taken = await tables.Outbox.UpdateEntityAsync(Row(userId, key, attempt, code), existing.ETag, TableUpdateMode.Replace, cancellationToken);
            return new SubmissionClaim(userId, key, attempt, taken.Headers.ETag ?? ETag.All, code);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw InProgress();
        }
    }

    /// <summary>Records the code the dossier will have, before it is written; fails if another attempt took the key over.</summary>
    public async Task<SubmissionClaim> ReserveAsync(SubmissionClaim claim, string code, CancellationToken cancellationToken)
    {
        if (claim.ReservedCode == code) return claim;
        try
        {
            var reserved = await tables.Outbox.UpdateEntityAsync(Row(claim.UserId, claim.Key, claim.Attempt, code), claim.ETag, TableUpdateMode.Replace, cancellationToken);
            return claim with { ETag = reserved.Headers.ETag ?? ETag.All, ReservedCode = code };
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            throw InProgress();
        }
    }

    /// <summary>
    /// Frees the key of a refused submission, so a corrected retry may use it; kept when the dossier
    /// was written after all (an answer lost after the write), so that a retry gets it back, and when
    /// another attempt took the key over (it is theirs now).
    /// </summary>
    public async Task ReleaseAsync(SubmissionClaim claim)
    {
        var row = await tables.Outbox.GetEntityIfExistsAsync<TableEntity>(Partition(claim.UserId), claim.Key, cancellationToken: CancellationToken.None);
        if (!row.HasValue || row.Value!.GetString("Attempt") != claim.Attempt) return;
        if (row.Value!.GetString("Code") is { Length: > 0 } code && await DossierExistsAsync(code, CancellationToken.None)) return;
        try
        {
            await tables.Outbox.DeleteEntityAsync(Partition(claim.UserId), claim.Key, row.Value.ETag, CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // A retry took the key over meanwhile.
        }
    }

    private async Task<bool> DossierExistsAsync(string code, CancellationToken cancellationToken) =>
        (await tables.Dossiers.GetEntityIfExistsAsync<TableEntity>(code, DossierRows.Dossier, select: ["PartitionKey"], cancellationToken: cancellationToken)).HasValue;

    private TableEntity Row(string userId, string key, string attempt, string? code) =>
        new(Partition(userId), key) { ["Code"] = code ?? string.Empty, ["Attempt"] = attempt, ["ClaimedAt"] = time.GetUtcNow() };

    private static string NewAttempt() => Guid.NewGuid().ToString("N");

    private static string Partition(string userId) => "idempotency|" + userId;

    /// <summary>The same key sent again with a request for another unit: the code it holds names the first one.</summary>
    internal static Problems.ProblemException ReusedForAnotherUnit(string code) => new(422, "idempotency-key-reused",
        "Khóa Idempotency-Key đã dùng cho một yêu cầu khác", "The Idempotency-Key was used for another request",
        $"Khóa này đã gắn với hồ sơ {code} của đơn vị khác; dùng khóa mới cho yêu cầu mới.",
        $"This key already belongs to dossier {code} of another unit; use a new key for a new request.");

    internal static Problems.ProblemException InProgress() => new(409, "submission-in-progress",
        "Hồ sơ với khóa này đang được nộp", "A submission with this key is in progress",
        "Chờ lần nộp trước hoàn tất rồi thử lại.", "Wait for the earlier attempt to finish, then retry.");
}
