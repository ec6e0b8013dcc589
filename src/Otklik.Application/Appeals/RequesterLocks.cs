namespace Otklik.Application.Appeals;

/// <summary>
/// Serialises intake per requester inside one process, so two appeals from one person at the same
/// moment see each other (one ticket, not two). Striped: a fixed set of semaphores, no growth.
/// Across nodes the store's own lock (PostgreSQL advisory lock) does the same job.
/// </summary>
public sealed class RequesterLocks
{
    private readonly SemaphoreSlim[] _stripes;

    public RequesterLocks(int stripes = 4096)
    {
        _stripes = new SemaphoreSlim[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    public async ValueTask<Releaser> AcquireAsync(string requesterKey, CancellationToken ct)
    {
        var stripe = _stripes[(int)((uint)StableHash(requesterKey) % (uint)_stripes.Length)];
        await stripe.WaitAsync(ct).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    /// <summary>FNV-1a: stable across processes, unlike string.GetHashCode.</summary>
    public static int StableHash(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)hash;
    }

    public sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
