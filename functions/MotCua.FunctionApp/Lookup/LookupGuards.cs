using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Lookup;

/// <summary>
/// What stands between a guesser and a dossier's status: the per-address rate limit, and per code and
/// address the <see cref="PinTryGuard"/>. Both answer 429 with <c>Retry-After</c>. See docs/decisions/0007.
/// </summary>
public static partial class LookupGuards
{
    public static IServiceCollection AddLookupGuards(this IServiceCollection services)
    {
        services.AddOptions<PinGuardOptions>().BindConfiguration(PinGuardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PinTryGuard>();
        return services;
    }

    /// <summary>The per-address limit's answer: a problem, and when the address's window opens again.</summary>
    public static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<PublicPages.PublicPage>() is not null)
        {
            await PublicPages.PublicPageEndpoints.WriteTooManyAsync(context.HttpContext, wait);
            return;
        }
        await ProblemExceptionHandler.WriteAsync(context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>(), context.HttpContext,
            Problems.Problems.TooManyLookups(wait));
    }

    /// <summary>
    /// The client address both guards count by: the connection's, or behind a trusted front end the
    /// last entry of its header (the one it added; entries before it are the client's own say). An
    /// IPv6 client is counted by its /64, which one subscriber usually holds whole; counting each
    /// IPv6 address would hand a guesser 2^64 of them.
    /// </summary>
    public static string ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        var header = context.RequestServices.GetRequiredService<IOptions<LookupOptions>>().Value.ClientAddressHeader;
        if (!string.IsNullOrEmpty(header) && context.Request.Headers[header].ToString().Split(',')[^1].Trim() is var last
            && IPEndPoint.TryParse(last, out var forwarded))
        {
            address = forwarded.Address;
        }
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    /// <summary>Claims a try of this address for the code before its PIN is compared; a try before its time is refused unevaluated.</summary>
    public static async Task ClaimTryAsync(this PinTryGuard guard, string code, string address, bool oldPin, ILogger logger,
        CancellationToken cancellationToken)
    {
        var attempt = await guard.ClaimAsync(code, address, oldPin, cancellationToken);
        if (attempt.Allowed) return;
        TriesSlowed(logger, code, attempt.RetryAfter);
        throw Problems.Problems.LookupPinTriesSlowed(attempt.RetryAfter);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "A lookup of {Code} came before its address's next try was allowed, {Wait} from now")]
    private static partial void TriesSlowed(ILogger logger, string code, TimeSpan wait);
}
