using System.Collections.Concurrent;
using System.Security.Cryptography;
using MotCua.FunctionApp.Tests.Infrastructure;

namespace MotCua.FunctionApp.Tests;

/// <summary>Timer functions in standalone mode, with several instances on one storage account.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StandaloneTimerTests
{
    /// <summary>The occurrences a timer function ran, and how often each.</summary>
    public sealed class Occurrences
    {
        public ConcurrentDictionary<DateTimeOffset, int> Runs { get; } = new();
    }

    public sealed class CountOccurrences(Occurrences occurrences) : ITimerHandler
    {
        public static readonly FunctionDeclaration Declaration = new("CountOccurrences", new TimerTrigger("* * * * * *"));

        public Task HandleAsync(TimerTick tick, CancellationToken cancellationToken)
        {
            occurrences.Runs.AddOrUpdate(tick.ScheduledAt, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task TimerFunction_OnTwoInstancesSharingStorage_RunsEachOccurrenceOnce()
    {
        var occurrences = new Occurrences();
        var settings = new Dictionary<string, string?> { ["Storage:Prefix"] = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5)) };
        void Timer(IServiceCollection services) => services.AddSingleton(occurrences).AddTimerFunction<CountOccurrences>(CountOccurrences.Declaration);

        await using (var first = await TestApp.StartAsync(settings: settings, seed: false, services: Timer))
        await using (var second = await TestApp.StartAsync(settings: settings, seed: false, services: Timer))
        {
            Assert.Equal(first.Prefix, second.Prefix);
            var started = DateTimeOffset.UtcNow;
            await Eventually.GetAsync(() => Task.FromResult(occurrences.Runs.Keys.Count(k => k > started) >= 5 ? occurrences : null),
                "five occurrences of a once-a-second timer while both instances run");
        }

        Assert.All(occurrences.Runs, r => Assert.True(r.Value == 1, $"The occurrence at {r.Key:O} ran {r.Value} times."));
    }
}
