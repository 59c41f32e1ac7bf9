using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>
/// Guessing a lookup PIN: the per-address limit, and per dossier code and address a delay that grows
/// with that address's wrong PINs, so a stranger's guessing never holds the owner back. Each client below connects from its own
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
    public async Task PublicLookup_AStrangerGuessingAtEveryAllowedMoment_NeverHoldsTheOwnerBack()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(7)));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, new(Guard) { ["Lookup:PermitsPerMinute"] = "1000" }, time: time);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        Assert.Matches("^[0-9]{10}$", submitted.LookupPin);
        var wrongPin = submitted.LookupPin == "0000000000" ? "0000000001" : "0000000000";
        using var stranger = FromAddress(app, 2);
        using var owner = FromAddress(app, 3);
        var url = $"/api/public/dossiers/{submitted.Code}?pin=";

        // Three slips cost nothing; the fourth wrong PIN is evaluated and sets the stranger's first wait.
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(url + wrongPin)).StatusCode);
        using (var early = await stranger.GetAsync(url + submitted.LookupPin))
        {
            // Even the right PIN is not evaluated before its time: a 429 says nothing about the PIN.
            Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), early.Headers.RetryAfter?.Delta);
            var problem = JsonDocument.Parse(await early.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("https://motcua.vn/problems/lookup-pin-tries-slowed", problem.GetProperty("type").GetString());
        }

        // The stranger sends a burst at every moment a try is allowed; the wait doubles up to five
        // minutes, and each time the owner, from an address that has not failed, gets in at once.
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            using var slowed = await stranger.GetAsync(url + wrongPin);
            Assert.Equal(HttpStatusCode.TooManyRequests, slowed.StatusCode);
            var wait = slowed.Headers.RetryAfter!.Delta!.Value;
            waits.Add(wait);
            time.Advance(wait);
            var burst = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                using var response = await stranger.GetAsync(url + wrongPin);
                return response.StatusCode;
            }));
            Assert.Equal([HttpStatusCode.NotFound], burst.Where(s => s == HttpStatusCode.NotFound));
            using var ownerLookup = await owner.GetAsync(url + submitted.LookupPin);
            Assert.Equal(HttpStatusCode.OK, ownerLookup.StatusCode);
        }
        Assert.Equal([2, 4, 8, 16, 32, 64, 128, 256, 300, 300], waits.Select(w => (int)w.TotalSeconds));

        // Each address that has not failed for the code gets its try evaluated: one guess per fresh address.
        Assert.Equal(HttpStatusCode.NotFound, (await FromAddress(app, 4).GetAsync(url + wrongPin)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await stranger.GetAsync(url + wrongPin)).StatusCode);
    }

    [Fact]
    public async Task PublicLookup_BehindATrustedFrontEnd_CountsTheAddressItAdded()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(7)));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone,
            new(Guard) { ["Lookup:PermitsPerMinute"] = "1000", ["Lookup:ClientAddressHeader"] = "X-Forwarded-For" }, time: time);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var wrongPin = submitted.LookupPin == "0000000000" ? "0000000001" : "0000000000";
        // Every request comes from one connection address, as behind the Functions host.
        async Task<HttpStatusCode> TryAsync(string forwardedFor, string pin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/public/dossiers/{submitted.Code}?pin={pin}");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await app.Http.SendAsync(request);
            return response.StatusCode;
        }

        // The stranger makes up a new first entry each time; the front end's last one stays theirs.
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.NotFound, await TryAsync($"10.9.8.{i}, 203.0.113.5:50000", wrongPin));
        Assert.Equal(HttpStatusCode.TooManyRequests, await TryAsync("10.9.8.77, 203.0.113.5:50001", wrongPin));
        Assert.Equal(HttpStatusCode.OK, await TryAsync("198.51.100.7:40000", submitted.LookupPin));
    }

    [Fact]
    public async Task PublicLookup_TheOwnersOwnSlips_AreForgottenByTheRightPin()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(7)));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, new(Guard) { ["Lookup:PermitsPerMinute"] = "1000" }, time: time);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var wrongPin = submitted.LookupPin == "0000000000" ? "0000000001" : "0000000000";
        using var owner = FromAddress(app, 5);
        var url = $"/api/public/dossiers/{submitted.Code}?pin=";

        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(url + wrongPin)).StatusCode);
        using (var slowed = await owner.GetAsync(url + submitted.LookupPin))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, slowed.StatusCode);
            time.Advance(slowed.Headers.RetryAfter!.Delta!.Value);
        }
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(url + submitted.LookupPin)).StatusCode);
        // Forgotten: three slips are free again.
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(url + wrongPin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(url + submitted.LookupPin)).StatusCode);
    }

    [Fact]
    public async Task PublicLookup_ParallelWrongPinsFromOneAddress_AreCountedOnceEach_AndNoneSlipsPastTheWait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(7)));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, new(Guard) { ["Lookup:PermitsPerMinute"] = "1000" }, time: time);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var wrongPin = submitted.LookupPin == "0000000000" ? "0000000001" : "0000000000";
        using var client = FromAddress(app, 10);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            using var response = await client.GetAsync($"/api/public/dossiers/{submitted.Code}?pin={wrongPin}");
            return response.StatusCode;
        }));

        // Three free tries and the one that set the wait were evaluated; every other was refused unevaluated.
        Assert.Equal(4, answers.Count(a => a == HttpStatusCode.NotFound));
        Assert.Equal(12, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        var row = Assert.Single(await FailureRowsAsync(app));
        Assert.Equal(submitted.Code, row.PartitionKey);
        Assert.Equal(4, row.GetInt32("Failures"));
        Assert.DoesNotContain("127.0.0.10", row.RowKey);
    }

    [Fact]
    public async Task PublicLookup_OldSixDigitPins_AreAlsoSlowedPerCode_ButAnAddressFirstTryIsEvaluated()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.FromHours(7)));
        await using var app = await TestApp.StartAsync(HostingMode.Standalone, new(Guard) { ["Lookup:PermitsPerMinute"] = "1000" }, time: time);
        var submitted = await DossierApi.SubmitAsync(app, Users.Citizen);
        var dossier = (await app.Tables.Dossiers.GetEntityAsync<DossierEntity>(submitted.Code, DossierRows.Dossier)).Value;
        dossier.LookupPin = "042917";
        await app.Tables.Dossiers.UpdateEntityAsync(dossier, dossier.ETag, TableUpdateMode.Replace);
        var url = $"/api/public/dossiers/{submitted.Code}?pin=";

        // Two addresses fail twice each: four wrong 6-digit PINs for the code set its first wait.
        using var first = FromAddress(app, 20);
        using var second = FromAddress(app, 21);
        foreach (var client in new[] { first, second, first, second })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url + "111111")).StatusCode);

        // Each is still under its own free tries, yet held to the code's wait for 6-digit PINs.
        using (var held = await first.GetAsync(url + "042917"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, held.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), held.Headers.RetryAfter?.Delta);
        }
        // An address that has not failed for the code is evaluated: the owner gets in at once, and a stranger's fresh address gets one guess.
        Assert.Equal(HttpStatusCode.OK, (await FromAddress(app, 22).GetAsync(url + "042917")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await FromAddress(app, 23).GetAsync(url + "111111")).StatusCode);
        // A 10-digit PIN cannot match an old receipt, and is slowed only per address.
        Assert.Equal(HttpStatusCode.NotFound, (await first.GetAsync(url + "1111111111")).StatusCode);
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
        Assert.Empty(await FailureRowsAsync(app));

        // A receipt issued before PINs grew to 10 digits.
        var dossier = (await app.Tables.Dossiers.GetEntityAsync<DossierEntity>(submitted.Code, DossierRows.Dossier)).Value;
        dossier.LookupPin = "042917";
        await app.Tables.Dossiers.UpdateEntityAsync(dossier, dossier.ETag, TableUpdateMode.Replace);
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync($"/api/public/dossiers/{submitted.Code}?pin=042917")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Http.GetAsync($"/api/public/dossiers/{submitted.Code}?pin={submitted.LookupPin}")).StatusCode);
    }

    private static async Task<List<TableEntity>> FailureRowsAsync(TestApp app) => await app.Tables.Counters
        .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {"lookup-failures"} and RowKey lt {"lookup-failuret"}")).ToListAsync();

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
