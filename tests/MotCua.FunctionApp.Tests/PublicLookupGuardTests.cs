using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// Guessing a lookup PIN: the per-address limit, and per dossier code a delay that grows with wrong
/// PINs from any address but never locks the owner out. Each client below connects from its own
/// loopback address (127.0.0.x), so the app sees as many addresses as there are clients.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PublicLookupGuardTests
{
    private static readonly Dictionary<string, string?> Guard = new()
    {
        ["Lookup:PinGuard:FreeFailures"] = "3",
        ["Lookup:PinGuard:FirstDelay"] = "00:00:02",
        ["Lookup:PinGuard:MaxDelay"] = "00:05:00",
    };

    [Fact]
    public async Task PublicLookup_PastTheAddressLimit_Answers429WithRetryAfter()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, new() { ["Lookup:PermitsPerMinute"] = "2" });
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var url = $"/api/public/dossiers/{submitted.Code}?pin={submitted.LookupPin}";

        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync(url)).StatusCode);
        using var limited = await app.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var wait = Assert.IsType<TimeSpan>(limited.Headers.RetryAfter?.Delta);
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task PublicLookup_WrongPinsForOneCodeFromManyAddresses_AreSlowedNotLocked_AndTheRightPinWorksAfterTheWait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(7)));
        // Each address alone stays well under its limit: only the per-code delay can stop this guesser.
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, new(Guard) { ["Lookup:PermitsPerMinute"] = "3" }, time: time);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        Assert.Matches("^[0-9]{10}$", submitted.LookupPin);
        var wrongPin = submitted.LookupPin == "0000000000" ? "0000000001" : "0000000000";
        var address = 1;
        async Task<HttpResponseMessage> TryAsync(string pin)
        {
            using var client = FromAddress(app, ++address);
            return await client.GetAsync($"/api/public/dossiers/{submitted.Code}?pin={pin}");
        }

        // Three slips cost nothing; the fourth wrong PIN is evaluated and sets the first wait.
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.NotFound, (await TryAsync(wrongPin)).StatusCode);
        using (var early = await TryAsync(submitted.LookupPin))
        {
            // Even the right PIN is not evaluated before its time: a 429 says nothing about the PIN.
            Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), early.Headers.RetryAfter?.Delta);
            var problem = JsonDocument.Parse(await early.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("https://motcua.vn/problems/lookup-pin-tries-slowed", problem.GetProperty("type").GetString());
        }

        // A guesser who waits each time sees the wait double, up to five minutes.
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            using var slowed = await TryAsync(wrongPin);
            Assert.Equal(HttpStatusCode.TooManyRequests, slowed.StatusCode);
            var wait = slowed.Headers.RetryAfter!.Delta!.Value;
            waits.Add(wait);
            time.Advance(wait);
            Assert.Equal(HttpStatusCode.NotFound, (await TryAsync(wrongPin)).StatusCode);
        }
        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 256, 300, 300], waits.Select(w => (int)w.TotalSeconds));

        // The owner, after the longest wait, gets in; and the failures are forgotten.
        using (var owner = await TryAsync(submitted.LookupPin))
        {
            Assert.Equal(TimeSpan.FromMinutes(5), owner.Headers.RetryAfter?.Delta);
            time.Advance(owner.Headers.RetryAfter!.Delta!.Value);
        }
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(submitted.LookupPin)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await TryAsync(wrongPin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(submitted.LookupPin)).StatusCode);
    }

    [Fact]
    public async Task PublicLookup_ParallelWrongPins_AreCountedOnceEach_AndNoneSlipsPastTheWait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(7)));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, new(Guard) { ["Lookup:PermitsPerMinute"] = "1000" }, time: time);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var wrongPin = submitted.LookupPin == "0000000000" ? "0000000001" : "0000000000";

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            using var client = FromAddress(app, 10 + i);
            using var response = await client.GetAsync($"/api/public/dossiers/{submitted.Code}?pin={wrongPin}");
            return response.StatusCode;
        }));

        // Three free tries and the one that set the wait were evaluated; every other was refused unevaluated.
        Assert.Equal(4, answers.Count(a => a == HttpStatusCode.NotFound));
        Assert.Equal(12, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        var row = (await app.Tables.Counters.GetEntityAsync<TableEntity>(submitted.Code, "lookup-failures")).Value;
        Assert.Equal(4, row.GetInt32("Failures"));
    }

    [Fact]
    public async Task PublicLookup_MalformedRequests_WriteNothing_AndAnOldSixDigitPinStillWorks()
    {
        await using var app = await TestApp.StartAsync(HostingMode.Standalone);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        foreach (var url in new[]
        {
            $"/api/public/dossiers/{submitted.Code}?pin=12ab56",
            $"/api/public/dossiers/{submitted.Code}?pin=12345678",
            $"/api/public/dossiers/{submitted.Code}",
            $"/api/public/dossiers/not-a-code?pin=123456",
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync(url)).StatusCode);
        }
        var failureRows = app.Tables.Counters.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {"lookup-failures"}"));
        Assert.Empty(await failureRows.ToListAsync());

        // A receipt issued before PINs grew to 10 digits.
        var dossier = (await app.Tables.Dossiers.GetEntityAsync<DossierEntity>(submitted.Code, DossierRows.Dossier)).Value;
        dossier.LookupPin = "042917";
        await app.Tables.Dossiers.UpdateEntityAsync(dossier, dossier.ETag, TableUpdateMode.Replace);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync($"/api/public/dossiers/{submitted.Code}?pin=042917")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync($"/api/public/dossiers/{submitted.Code}?pin={submitted.LookupPin}")).StatusCode);
    }

    /// <summary>A client whose connections come from 127.0.0.<paramref name="last"/>, so the app sees that address.</summary>
    private static HttpClient FromAddress(TestApp app, int last)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse($"127.0.0.{last}"), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = app.Http.BaseAddress };
    }
}
