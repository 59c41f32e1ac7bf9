using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Correspondence.Exchange.Edxml;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Hosting;

namespace MotCua.FunctionApp.Correspondence.Exchange;

/// <summary>
/// Pulls the exchange on a timer, as the axis's SDK does: lists what waits for this system's agencies,
/// fetches each package, applies it, and reports the fetch's outcome ("done", or "fail" with the reason).
/// A package that fails for a passing reason (storage, the network) is left for the next pull.
/// </summary>
public sealed class ExchangePullFunction(ExchangeClient client, ExchangeReceiver receiver, IOptions<ExchangeOptions> options, ILogger<ExchangePullFunction> logger)
    : ITimerHandler
{
    /// <summary>A delivery that fails this often in one instance is refused, so that it cannot hold up the ones behind it.</summary>
    private const int MaxAttempts = 5;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _failures = new();

    public static readonly FunctionDeclaration Declaration = new("ExchangePull", new TimerTrigger("*/5 * * * * *"));

    public async Task HandleAsync(TimerTick tick, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return;
        IReadOnlyList<ExchangeDelivery> waiting;
        try
        {
            waiting = await client.ReceivedAsync(cancellationToken);
        }
        catch (ExchangeException e)
        {
            ExchangeLog.PullFailed(logger, e.Message);
            return;
        }
        foreach (var delivery in waiting.Take(options.Value.PullBatch))
        {
            try
            {
                await receiver.ReceiveAsync(delivery, cancellationToken);
                _failures.TryRemove(delivery.Id, out _);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ExchangeLog.ReceiveFailed(logger, delivery.Id, e);
                if (_failures.AddOrUpdate(delivery.Id, 1, (_, n) => n + 1) < MaxAttempts) continue;
                _failures.TryRemove(delivery.Id, out _);
                await receiver.RefuseAsync(delivery, $"Không tiếp nhận được gói tin sau {MaxAttempts} lần thử.", cancellationToken);
            }
        }
    }
}

/// <summary>
/// One delivery from the exchange: the package is copied to a local file (bounded), read, its XML
/// signature and its signer's chain checked, its sender and recipient looked up, and only then applied.
/// What is refused is reported with the reason and logged, and nothing of it is written; no status goes
/// to a sender whose signature did not hold.
/// </summary>
public sealed class ExchangeReceiver(ExchangeClient client, ExchangeDirectory directory, ExchangeApplier applier, OutgoingAccess access, TrustStore trust,
    IOptions<ExchangeOptions> options, TimeProvider time, ILogger<ExchangeReceiver> logger)
{
    public async Task ReceiveAsync(ExchangeDelivery delivery, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"motcua-edxml-in-{Guid.NewGuid():N}.xml");
        try
        {
            using (var response = await client.FetchAsync(delivery.Id, cancellationToken))
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 128 * 1024, FileOptions.Asynchronous))
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                var buffer = new byte[128 * 1024];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > options.Value.MaxPackageBytes)
                    {
                        await RefuseAsync(delivery, $"Gói tin vượt quá {options.Value.MaxPackageBytes / (1024 * 1024)} MB.", cancellationToken);
                        return;
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            var outcome = await ApplyFileAsync(delivery, path, cancellationToken);
            if (outcome is null)
            {
                await client.ReportAsync(delivery.Id, accepted: true, null, cancellationToken);
                ExchangeLog.Received(logger, delivery.Id, delivery.From, delivery.To);
            }
            else await RefuseAsync(delivery, outcome, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Reads, checks and applies a package; null when it was applied, otherwise why it is refused.</summary>
    public async Task<string?> ApplyFileAsync(ExchangeDelivery delivery, string path, CancellationToken cancellationToken)
    {
        EdxmlRead read;
        await using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 128 * 1024))
        {
            try
            {
                read = EdxmlReader.Read(input, Path.GetTempPath(), options.Value.Limits);
            }
            catch (EdxmlException e)
            {
                return e.Message;
            }
        }
        using (read)
        {
            var (certificate, problem) = EdxmlSignature.Verify(read.Signed);
            if (certificate is null) return problem;
            var now = time.GetUtcNow();
            var (verdict, why) = CertificateChains.Check(certificate, [], await trust.CurrentAsync(cancellationToken), now, now);
            if (verdict != SignatureVerdict.Valid) return $"Chứng thư số ký gói tin không được tin cậy: {why}";
            var from = read.Document?.Header.From ?? read.Status!.From;
            if (from.Id != delivery.From) return $"Cơ quan gửi trong gói tin ({from.Id}) khác cơ quan gửi mà trục báo ({delivery.From}).";
            if (await directory.FindAsync(from.Id, cancellationToken) is null)
            {
                directory.Invalidate();
                if (await directory.FindAsync(from.Id, cancellationToken) is null) return $"Cơ quan gửi {from.Id} không có trong danh sách cơ quan của trục liên thông.";
            }
            if (await access.UnitAsync(delivery.To, cancellationToken) is not { IsDepartment: false }) return $"Cơ quan nhận {delivery.To} không thuộc hệ thống này.";
            if (read.Document is { } document)
            {
                if (document.Header.To.All(t => t.Id != delivery.To)) return $"Gói tin không gửi cho cơ quan {delivery.To}.";
                return await applier.ApplyDocumentAsync(delivery.To, delivery.Id, document, read.Files, cancellationToken);
            }
            return await applier.ApplyStatusAsync(delivery.To, read.Status!, cancellationToken);
        }
    }

    public async Task RefuseAsync(ExchangeDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        ExchangeLog.Refused(logger, delivery.Id, delivery.From, reason);
        await client.ReportAsync(delivery.Id, accepted: false, reason, cancellationToken);
    }
}
