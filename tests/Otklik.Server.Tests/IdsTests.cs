using Otklik.Application;

namespace Otklik.Server.Tests;

public sealed class IdsTests
{
    private static readonly DateTimeOffset s_at = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IdsOfOneMillisecond_AreUnique_AcrossManyRefillsOfTheRandomPool()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => Ids.New("ap", s_at)).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^ap_[0-9A-HJKMNP-TV-Z]{26}$", id));
        // The time comes first (sortable), the random part after it differs from one id to the next.
        Assert.Single(ids.Select(id => id[3..13]).Distinct(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Select(id => id[13..]).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ALaterMillisecond_SortsAfter()
    {
        var first = Ids.New("t", s_at);
        var later = Ids.New("t", s_at.AddMilliseconds(1));
        Assert.True(string.CompareOrdinal(first, later) < 0);
    }

    [Fact]
    public async Task ThreadsTakeRandomBytesOfTheirOwn()
    {
        var perThread = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 2_000).Select(_ => Ids.New("ap", s_at)).ToList())));
        var all = perThread.SelectMany(ids => ids).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
    }
}
