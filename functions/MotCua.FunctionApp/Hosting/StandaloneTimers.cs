using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Cronos;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Hosting;

/// <summary>
/// Standalone mode: runs timer functions on their NCRONTAB schedules. However many instances share
/// the storage, each occurrence runs once: an instance claims it under a lease on the timer's blob in
/// <c>&lt;prefix&gt;locks</c> (<c>timers/{Function}</c>), as the Functions host's singleton locks do.
/// The host holds its lock for as long as an instance listens; here an occurrence is claimed by
/// recording it in the blob's metadata under a short lease, so a late or restarted instance sees
/// that it ran.
/// </summary>
public sealed class StandaloneTimers(FunctionRegistry registry, IServiceProvider services, BlobServiceClient blobs, IOptions<StorageOptions> storage,
    TimeProvider time, ILogger<StandaloneTimers> logger) : BackgroundService
{
    private const string OccurrenceKey = "occurrence";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timers = registry.Triggered.OfType<TimerFunction>().ToList();
        if (timers.Count == 0) return;
        var locks = blobs.GetBlobContainerClient(storage.Value.Prefix + StorageContainers.Locks);
        await Task.WhenAll(timers.Select(t => Task.Run(() => RunAsync(t, locks, stoppingToken), CancellationToken.None)));
    }

    private async Task RunAsync(TimerFunction timer, BlobContainerClient locks, CancellationToken stoppingToken)
    {
        var cron = CronExpression.Parse(timer.Schedule, CronFormat.IncludeSeconds);
        var lockBlob = locks.GetBlobClient($"timers/{timer.Name}");
        var ready = false;
        DateTimeOffset? previous = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            // From the occurrence just run when a delay woke a moment early, so it is not taken again.
            var now = time.GetUtcNow();
            var next = cron.GetNextOccurrence(previous > now ? previous.Value : now, TimeZoneInfo.Utc);
            if (next is null) return;
            previous = next;
            try
            {
                await Task.Delay(next.Value - time.GetUtcNow() is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, time, stoppingToken);
                if (!ready) ready = await CreateLockAsync(locks, lockBlob, stoppingToken);
                if (!await ClaimAsync(lockBlob, next.Value, stoppingToken))
                {
                    HostingLog.OccurrenceTaken(logger, timer.Name, next.Value);
                    continue;
                }
                await timer.HandleAsync(services, new TimerTick(next.Value, time.GetUtcNow() - next.Value > TimeSpan.FromMinutes(1)), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                HostingLog.TimerFailed(logger, timer.Name, e);
            }
        }
    }

    private static async Task<bool> CreateLockAsync(BlobContainerClient locks, BlobClient lockBlob, CancellationToken cancellationToken)
    {
        await locks.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        try
        {
            await lockBlob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another instance made it.
        }
        return true;
    }

    /// <summary>
    /// Records <paramref name="occurrence"/> as run, under the blob's lease, unless an instance recorded it
    /// (or a later one) already. The lease is held for a few requests only; one found taken is waited for.
    /// </summary>
    private static async Task<bool> ClaimAsync(BlobClient lockBlob, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var lease = lockBlob.GetBlobLeaseClient();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
                break;
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < 50)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 + Random.Shared.Next(100)), cancellationToken);
            }
        }
        try
        {
            var held = new BlobRequestConditions { LeaseId = lease.LeaseId };
            var properties = await lockBlob.GetPropertiesAsync(held, cancellationToken);
            if (properties.Value.Metadata.TryGetValue(OccurrenceKey, out var recorded)
                && long.TryParse(recorded, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) && ticks >= occurrence.UtcTicks)
                return false;
            await lockBlob.SetMetadataAsync(new Dictionary<string, string> { [OccurrenceKey] = occurrence.UtcTicks.ToString(CultureInfo.InvariantCulture) },
                held, cancellationToken);
            return true;
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }
}
