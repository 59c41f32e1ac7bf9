using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Lookup;

public sealed class PinGuardOptions
{
    public const string Section = "Lookup:PinGuard";

    /// <summary>Wrong PINs for one code from one address evaluated without delay, so a citizen's typing slips cost nothing.</summary>
    [Range(1, 100)]
    public int FreeFailures { get; set; } = 3;

    /// <summary>The wait after the first failure past the free ones; it doubles with each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait: the slowest pace an address that keeps failing is held to for one code.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>May the PIN be checked now, and if not, how long until it may.</summary>
public readonly record struct PinTry(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// Slows PIN guessing per dossier code and client address: after a few wrong PINs from one address,
/// that address's next try for the code is evaluated only after a delay that doubles up to a cap.
/// Another address's failures never delay the owner's, so a stranger cannot keep the owner out; an
/// address that has not failed is evaluated at once, so a guesser gets a handful of guesses per
/// address. A 6-digit PIN (old receipts) is also held to a wait counted per code over all addresses,
/// except on an address's first try. A try is claimed (the failure counted in advance, ETag-checked,
/// both rows in one transaction) before the PIN is compared, so parallel requests cannot all slip
/// through one open moment; a right PIN forgets that address's failures. Unknown codes are counted
/// like real ones, so the answer never tells whether a code exists. Rows live in the counters table
/// (PartitionKey = dossier code). See docs/decisions/0007.
/// </summary>
public sealed class PinTryGuard(MotCuaTables tables, IOptions<PinGuardOptions> options, TimeProvider time)
{
    /// <summary>Every failure row's key starts so: one per address (a hash, not the address), and one for 6-digit PINs.</summary>
    public const string RowKeyPrefix = "lookup-failures";
    public const string OldPinsRowKey = RowKeyPrefix + "-old-pins";
    private const int MaxAttempts = 20;

    public static TimeSpan DelayAfter(int failures, PinGuardOptions o)
    {
        var beyond = failures - o.FreeFailures;
        if (beyond <= 0) return TimeSpan.Zero;
        var delay = o.FirstDelay * Math.Pow(2, Math.Min(beyond - 1, 20));
        return delay < o.MaxDelay ? delay : o.MaxDelay;
    }

    /// <summary>The row of one address's failures for one code; hashed so the table holds no client addresses in clear.</summary>
    public static string AddressRowKey(string code, string address) =>
        $"{RowKeyPrefix}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{code}\n{address}")))[..32]}";

    /// <summary>Claims the next evaluated try of this address for the code, or says how long until one may be made.</summary>
    public async Task<PinTry> ClaimAsync(string code, string address, bool oldPin, CancellationToken cancellationToken)
    {
        var addressRowKey = AddressRowKey(code, address);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var mine = await ReadAsync(code, addressRowKey, cancellationToken);
            if (WaitOf(mine, now) is { } wait) return new PinTry(false, wait);
            var myFailures = mine?.GetInt32("Failures") ?? 0;
            List<TableTransactionAction> claims = [Counted(code, addressRowKey, mine, myFailures + 1, now)];
            if (oldPin)
            {
                var all = await ReadAsync(code, OldPinsRowKey, cancellationToken);
                // An address's first try is evaluated whatever others did: strangers cannot hold back an owner who has not failed.
                if (myFailures > 0 && WaitOf(all, now) is { } codeWait) return new PinTry(false, codeWait);
                claims.Add(Counted(code, OldPinsRowKey, all, (all?.GetInt32("Failures") ?? 0) + 1, now));
            }
            try
            {
                await tables.Counters.SubmitTransactionAsync(claims, cancellationToken);
                return new PinTry(true, TimeSpan.Zero);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another try was claimed meanwhile: read the counts and decide again.
            }
        }
        throw new InvalidOperationException($"The lookup failure counter of {code} is too contended.");
    }

    /// <summary>The right PIN: this address's failures for the code are forgotten; other addresses stay slowed.</summary>
    public async Task ForgetAsync(string code, string address, CancellationToken cancellationToken)
    {
        // Unconditional: a right PIN forgets every failure of the address, including one counted meanwhile; a missing row is fine.
        await tables.Counters.DeleteEntityAsync(code, AddressRowKey(code, address), ETag.All, cancellationToken);
    }

    private async Task<TableEntity?> ReadAsync(string code, string rowKey, CancellationToken cancellationToken)
    {
        var row = await tables.Counters.GetEntityIfExistsAsync<TableEntity>(code, rowKey, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    private static TimeSpan? WaitOf(TableEntity? row, DateTimeOffset now) =>
        row?.GetDateTimeOffset("NextTryAt") is { } next && next > now ? next - now : null;

    /// <summary>The failure counted in advance: an insert for the first, else a replace conditional on the row read.</summary>
    private TableTransactionAction Counted(string code, string rowKey, TableEntity? read, int failures, DateTimeOffset now)
    {
        var row = new TableEntity(code, rowKey) { ["Failures"] = failures, ["NextTryAt"] = now + DelayAfter(failures, options.Value) };
        return read is null ? new(TableTransactionActionType.Add, row) : new(TableTransactionActionType.UpdateReplace, row, read.ETag);
    }
}
