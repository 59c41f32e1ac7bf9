using System.Collections.Concurrent;
using Amqp;
using Amqp.Framing;
using Microsoft.Extensions.Logging;

namespace MotCua.Messaging.ServiceBus;

/// <summary>
/// Service Bus authorises each entity a link attaches to by a SAS token put on the connection's
/// <c>$cbs</c> node. Tokens last <see cref="ServiceBusOptions.TokenLifetime"/> and are put again at
/// four fifths of it, so a connection that lives for days never sees one expire.
/// </summary>
internal sealed class ClaimsBasedSecurity : IAsyncDisposable
{
    public const string Node = "$cbs";
    public const string TokenType = "servicebus.windows.net:sastoken";

    private readonly AmqpRequestLink _link;
    private readonly ServiceBusConnection _endpoint;
    private readonly ServiceBusOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _renewAt = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _renewal = Task.CompletedTask;

    private ClaimsBasedSecurity(AmqpRequestLink link, ServiceBusConnection endpoint, ServiceBusOptions options, TimeProvider time, ILogger logger)
    {
        _link = link;
        _endpoint = endpoint;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public static async Task<ClaimsBasedSecurity> StartAsync(Connection connection, ServiceBusConnection endpoint, ServiceBusOptions options,
        TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var link = await AmqpRequestLink.AttachAsync(new Session(connection), Node, options.OperationTimeout, cancellationToken);
        var cbs = new ClaimsBasedSecurity(link, endpoint, options, time, logger);
        cbs._renewal = cbs.RenewAsync(cbs._stop.Token);
        return cbs;
    }

    /// <summary>Puts a token for <paramref name="audience"/> unless a fresh one is already in place.</summary>
    public async Task AuthorizeAsync(string audience, CancellationToken cancellationToken)
    {
        if (_renewAt.TryGetValue(audience, out var renewAt) && renewAt > _time.GetUtcNow()) return;
        await PutTokenAsync(audience, cancellationToken);
    }

    private async Task PutTokenAsync(string audience, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var expiresAt = now + _options.TokenLifetime;
        var request = new Message(_endpoint.SasToken(audience, expiresAt))
        {
            ApplicationProperties = new ApplicationProperties
            {
                Map =
                {
                    ["operation"] = "put-token",
                    ["type"] = TokenType,
                    ["name"] = audience,
                    ["expiration"] = expiresAt.UtcDateTime,
                },
            },
        };
        var response = await _link.RequestAsync(request, cancellationToken);
        var (code, description) = AmqpRequestLink.Status(response);
        if (code is not (200 or 202))
            throw new UnauthorizedAccessException($"The broker refused the token for {audience}: {code} {description}");
        _renewAt[audience] = now + _options.TokenLifetime * 0.8;
    }

    private async Task RenewAsync(CancellationToken stopping)
    {
        var every = TimeSpan.FromTicks(Math.Clamp(_options.TokenLifetime.Ticks / 20, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromMinutes(1).Ticks));
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, stopping);
                foreach (var (audience, renewAt) in _renewAt)
                {
                    if (renewAt <= _time.GetUtcNow()) await PutTokenAsync(audience, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // The connection is probably going; the next one puts its tokens afresh.
                AmqpLog.TokenRenewalFailed(_logger, _endpoint.Host, e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        _stop.Dispose();
    }
}
