using System.Collections.Concurrent;

namespace Otklik.Application.Coordination;

/// <summary>At most <see cref="Count"/> requests per <see cref="Period"/>, of which <see cref="Burst"/> may come at once.</summary>
public readonly record struct RateLimit(int Count, TimeSpan Period, int Burst)
{
    public TimeSpan EmissionInterval => Period / Count;
}

public readonly record struct Throttle(bool Allowed, TimeSpan RetryAfter)
{
    public static readonly Throttle Allow = new(true, TimeSpan.Zero);
}

/// <summary>
/// Per-key request limits shared by every node that uses the same store (Redis), or kept by this node
/// alone. This is the flood guard in front of the intake; the exact quota of new tickets is the gate's
/// rule 13, enforced in the database transaction that inserts the ticket.
/// </summary>
public interface IRateLimitStore
{
    ValueTask<Throttle> AcquireAsync(string key, RateLimit limit, CancellationToken ct);
}

/// <summary>
/// GCRA (the generic cell rate algorithm) in this process: one theoretical arrival time per key, so a
/// check is one dictionary update. Used alone on one node, and as the fallback while Redis is away.
/// </summary>
public sealed class LocalRateLimitStore(TimeProvider time) : IRateLimitStore
{
    private const int PruneAbove = 100_000;
    private readonly ConcurrentDictionary<string, long> _tat = new(StringComparer.Ordinal);

    // Kept alongside the dictionary: its Count takes every one of its locks (up to 1024 once it has
    // grown), which made each acquire cost microseconds under load.
    private int _count;

    /// <summary>Keys holding state (at most a little over 100,000: past that, expired keys are dropped).</summary>
    public int Tracked => Volatile.Read(ref _count);

    public ValueTask<Throttle> AcquireAsync(string key, RateLimit limit, CancellationToken ct) => ValueTask.FromResult(Acquire(key, limit));

    public Throttle Acquire(string key, RateLimit limit)
    {
        var now = time.GetUtcNow().UtcTicks;
        var t = limit.EmissionInterval.Ticks;
        var tolerance = t * limit.Burst;
        while (true)
        {
            var found = _tat.TryGetValue(key, out var stored);
            var tat = found ? Math.Max(stored, now) : now;
            var next = tat + t;
            var allowAt = next - tolerance;
            if (now < allowAt)
            {
                return new Throttle(false, TimeSpan.FromTicks(allowAt - now));
            }
            if (found ? _tat.TryUpdate(key, next, stored) : _tat.TryAdd(key, next))
            {
                if (!found && Interlocked.Increment(ref _count) > PruneAbove)
                {
                    Prune(now);
                }
                return Throttle.Allow;
            }
        }
    }

    /// <summary>Keys whose arrival time has passed carry no state worth keeping.</summary>
    private void Prune(long now)
    {
        foreach (var (key, tat) in _tat)
        {
            if (tat <= now && _tat.TryRemove(new KeyValuePair<string, long>(key, tat)))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }
}

/// <summary>Where the state that nodes share lives right now, for health and metrics.</summary>
public sealed class SharedStateStatus
{
    private volatile string _mode = "local";
    private volatile string? _problem;

    /// <summary>"local" (one node, no Redis configured), "redis", or "local-fallback" (Redis configured but not answering).</summary>
    public string Mode => _mode;

    public string? Problem => _problem;

    public bool Degraded => _mode == "local-fallback";

    public void Shared() => (_mode, _problem) = ("redis", null);

    public void FellBack(string problem) => (_mode, _problem) = ("local-fallback", problem);
}

/// <summary>The load counts the gate reads, shared so all nodes see one load level and only one counts it per interval.</summary>
public interface ILoadBoard
{
    ValueTask<LoadCounts?> ReadAsync(CancellationToken ct);

    ValueTask PublishAsync(LoadCounts counts, TimeSpan freshFor, CancellationToken ct);
}

public sealed record LoadCounts(int OpenTickets, int AgentsOnline, double AvgHandleMinutes);

/// <summary>One node: nothing to share, the node counts for itself.</summary>
public sealed class LocalLoadBoard : ILoadBoard
{
    public ValueTask<LoadCounts?> ReadAsync(CancellationToken ct) => ValueTask.FromResult<LoadCounts?>(null);

    public ValueTask PublishAsync(LoadCounts counts, TimeSpan freshFor, CancellationToken ct) => ValueTask.CompletedTask;
}
