using System.Text.Json;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Issuance;

namespace MotCua.FunctionApp.Correspondence.Exchange;

/// <summary>
/// The agencies the exchange knows, from its agency list: kept in memory, read again after
/// <see cref="ExchangeOptions.DirectoryRefresh"/>, and kept in a blob so that an exchange that is down
/// for a while does not make every agency unknown.
/// </summary>
public sealed class ExchangeDirectory(ExchangeClient client, ResultFiles files, IOptions<ExchangeOptions> options,
    TimeProvider time, ILogger<ExchangeDirectory> logger) : IOutsideAgencyNames
{
    public async ValueTask<string?> NameAsync(string agency, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return null;
        try
        {
            return (await FindAsync(agency, cancellationToken))?.Name;
        }
        catch (ExchangeException e)
        {
            ExchangeLog.DirectoryFromCopy(logger, e.Message);
            return null;
        }
    }

    private readonly SemaphoreSlim _loading = new(1, 1);
    private (IReadOnlyDictionary<string, ExchangeAgency> Agencies, DateTimeOffset ReadAt)? _current;

    public async ValueTask<ExchangeAgency?> FindAsync(string agencyId, CancellationToken cancellationToken) =>
        (await AgenciesAsync(cancellationToken)).GetValueOrDefault(agencyId);

    public async ValueTask<IReadOnlyDictionary<string, ExchangeAgency>> AgenciesAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } fresh) return fresh;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } again) return again;
            var blob = await files.BlobAsync("exchange/agencies.json", cancellationToken);
            IReadOnlyList<ExchangeAgency> list;
            try
            {
                list = await client.AgenciesAsync(cancellationToken);
                await blob.UploadAsync(BinaryData.FromObjectAsJson(list, JsonSerializerOptions.Web), overwrite: true, cancellationToken);
            }
            catch (ExchangeException e) when (_current is null)
            {
                ExchangeLog.DirectoryFromCopy(logger, e.Message);
                var copy = await blob.ExistsAsync(cancellationToken) ? (await blob.DownloadContentAsync(cancellationToken)).Value.Content : null;
                list = copy?.ToObjectFromJson<List<ExchangeAgency>>(JsonSerializerOptions.Web) ?? throw new ExchangeException(e.Message, e.Permanent, e);
            }
            catch (ExchangeException e)
            {
                ExchangeLog.DirectoryFromCopy(logger, e.Message);
                _current = (_current!.Value.Agencies, time.GetUtcNow());
                return _current.Value.Agencies;
            }
            _current = (list.GroupBy(a => a.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal), time.GetUtcNow());
            return _current.Value.Agencies;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Forgets the list, so that the next look reads it again (an agency registered a moment ago).</summary>
    public void Invalidate() => _current = null;

    private IReadOnlyDictionary<string, ExchangeAgency>? Fresh() =>
        _current is { } current && time.GetUtcNow() - current.ReadAt < options.Value.DirectoryRefresh ? current.Agencies : null;
}
