using Microsoft.Extensions.Time.Testing;
using Otklik.Application.Coordination;

namespace Otklik.Server.Tests;

public sealed class LocalRateLimitStoreTests
{
    private static readonly RateLimit s_perSecond = new(1, TimeSpan.FromSeconds(1), Burst: 2);

    [Fact]
    public void ABurstIsAllowed_ThenTheNextWaits_AndTimeRefillsIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var store = new LocalRateLimitStore(time);
        Assert.True(store.Acquire("a", s_perSecond).Allowed);
        Assert.True(store.Acquire("a", s_perSecond).Allowed);
        var third = store.Acquire("a", s_perSecond);
        Assert.False(third.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(1), third.RetryAfter);
        Assert.True(store.Acquire("b", s_perSecond).Allowed); // keys are apart
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(store.Acquire("a", s_perSecond).Allowed);
    }

    [Fact]
    public void PastAHundredThousandKeys_ExpiredOnesAreDropped_AndTheCountStaysTrue()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var store = new LocalRateLimitStore(time);
        for (var i = 0; i < 100_000; i++)
        {
            store.Acquire("k" + i, s_perSecond);
        }
        Assert.Equal(100_000, store.Tracked);
        store.Acquire("k0", s_perSecond); // an existing key is not counted twice
        Assert.Equal(100_000, store.Tracked);

        time.Advance(TimeSpan.FromSeconds(5)); // every key's state has expired
        store.Acquire("fresh", s_perSecond);
        Assert.Equal(1, store.Tracked);
        Assert.True(store.Acquire("k1", s_perSecond).Allowed);
        Assert.Equal(2, store.Tracked);
    }
}
