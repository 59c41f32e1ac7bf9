using System.ComponentModel.DataAnnotations;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Lookup;

public sealed class PinGuardOptions
{
    public const string Section = "Lookup:PinGuard";

    /// <summary>Wrong PINs for one code evaluated without delay, so a citizen's typing slips cost nothing.</summary>
    [Range(1, 100)]
    public int FreeFailures { get; set; } = 3;

    /// <summary>The wait after the first failure past the free ones; it doubles with each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait: the most a citizen with the right PIN waits, and the slowest pace a guesser is held to.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>May the PIN be checked now, and if not, how long until it may.</summary>
public readonly record struct PinTry(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// Slows PIN guessing per dossier code, whatever the caller's address: after a few wrong PINs, the
/// next try for that code is evaluated only after a delay that doubles up to a cap. A try is
/// claimed (the failure counted in advance, ETag-checked) before the PIN is compared, so parallel
/// requests cannot all slip through one open moment; a right PIN forgets the failures. Nothing
/// locks: the owner waits at most the cap. Unknown codes are counted like real ones, so the answer
/// never tells whether a code exists. Rows live in the counters table (PartitionKey = dossier code).
/// </summary>
public sealed class PinTryGuard(MotCuaTables tables, IOptions<PinGuardOptions> options, TimeProvider time)
{
    public const string RowKey = "lookup-failures";
    private const int MaxAttempts = 20;

    public static TimeSpan DelayAfter(int failures, PinGuardOptions o)
    {
        var beyond = failures - o.FreeFailures;
        if (beyond <= 0) return TimeSpan.Zero;
        var delay = o.FirstDelay * Math.Pow(2, Math.Min(beyond - 1, 20));
        return delay < o.MaxDelay ? delay : o.MaxDelay;
    }

    /// <summary>Claims the code's next evaluated try, or says how long until one may be made.</summary>
    public async Task<PinTry> ClaimAsync(string code, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var existing = await tables.Counters.GetEntityIfExistsAsync<TableEntity>(code, RowKey, cancellationToken: cancellationToken);
            var row = existing.HasValue ? existing.Value : null;
            if (row?.GetDateTimeOffset("NextTryAt") is { } next && next > now) return new PinTry(false, next - now);

            var failures = (row?.GetInt32("Failures") ?? 0) + 1;
            var claimed = new TableEntity(code, RowKey) { ["Failures"] = failures, ["NextTryAt"] = now + DelayAfter(failures, options.Value) };
            try
            {
                if (row is null) await tables.Counters.AddEntityAsync(claimed, cancellationToken);
                else await tables.Counters.UpdateEntityAsync(claimed, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return new PinTry(true, TimeSpan.Zero);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another try for this code was claimed meanwhile: read its count and wait again.
            }
        }
        throw new InvalidOperationException($"The lookup failure counter of {code} is too contended.");
    }

    /// <summary>The right PIN: the failures counted for this code are forgotten.</summary>
    public async Task ForgetAsync(string code, CancellationToken cancellationToken)
    {
        // Unconditional: a right PIN forgets every failure, including one counted meanwhile; a missing row is fine.
        await tables.Counters.DeleteEntityAsync(code, RowKey, ETag.All, cancellationToken);
    }
}
