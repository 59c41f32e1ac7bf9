using MotCua.Domain.Dossiers;
using MotCua.Domain.History;
using Xunit;

namespace MotCua.Domain.Tests;

public sealed class HistoryChainTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 8, 0, 0, TimeSpan.FromHours(7));

    private static List<HistoryEntry> Chain(int length)
    {
        var entries = new List<HistoryEntry>();
        for (var i = 0; i < length; i++)
        {
            var last = entries.LastOrDefault();
            entries.Add(HistoryChain.Append(last?.Sequence ?? 0, last?.Hash ?? HistoryChain.Genesis, At.AddMinutes(i), $"user-{i}",
                new StatusChange(DossierStatus.Receiving, DossierStatus.Registered, "step", $"comment {i}"), $"message-{i}"));
        }
        return entries;
    }

    [Fact]
    public void Verify_UntouchedChain_HasNoBreak() => Assert.Null(HistoryChain.FindFirstBreak(Chain(5)));

    [Fact]
    public void Verify_AlteredComment_BreaksAtThatEntry()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Comment = "rewritten" };
        Assert.Equal(3, HistoryChain.FindFirstBreak(chain));
    }

    [Fact]
    public void Verify_RemovedEntry_BreaksWhereTheGapIs()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);
        Assert.Equal(3, HistoryChain.FindFirstBreak(chain));
    }

    [Fact]
    public void Verify_RehashedAlteredEntry_StillBreaksTheNextLink()
    {
        var chain = Chain(3);
        var forged = HistoryChain.Append(1, chain[0].Hash, At, "intruder", new StatusChange(DossierStatus.Receiving, DossierStatus.Returned, "forged", ""), "x");
        chain[1] = forged;
        Assert.Equal(3, HistoryChain.FindFirstBreak(chain));
    }

    [Fact]
    public void Hash_FieldBoundaries_CannotBeShifted()
    {
        var a = HistoryChain.Append(0, HistoryChain.Genesis, At, "ab", new StatusChange(DossierStatus.Receiving, DossierStatus.Registered, "c", ""), "m");
        var b = HistoryChain.Append(0, HistoryChain.Genesis, At, "a", new StatusChange(DossierStatus.Receiving, DossierStatus.Registered, "bc", ""), "m");
        Assert.NotEqual(a.Hash, b.Hash);
    }
}
