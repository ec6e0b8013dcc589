using Otklik.Data;

namespace Otklik.Application.Appeals;

/// <summary>
/// Two locks for the intake. The requester lock (striped, in process) serialises one requester's
/// appeals so that two sent at the same moment see each other — one ticket, not two; across nodes a
/// PostgreSQL advisory lock does the same. The writer lock queues SQLite's single writer here, FIFO,
/// which beats SQLite's sleep-and-retry busy handler; reads and gate decisions run outside it.
/// </summary>
public sealed class StoreWriteGate
{
    private static readonly IDisposable s_none = new Release(null);
    private readonly SemaphoreSlim _embeddedWriter = new(1, 1);
    private readonly RequesterLocks _requesters = new();
    private long _writerSince;

    /// <summary>How long the current embedded writer has held the store (zero when none): seconds mean the store is stalled.</summary>
    public TimeSpan WriterHeldFor => Volatile.Read(ref _writerSince) is var since and > 0 ? System.Diagnostics.Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;

    public async ValueTask<IDisposable> EnterRequesterAsync(string requesterKey, CancellationToken ct) =>
        await _requesters.AcquireAsync(requesterKey, ct).ConfigureAwait(false);

    public ValueTask<IDisposable> EnterWriterAsync(OtklikDbContext db, CancellationToken ct) =>
        db.IsEmbedded ? EnterEmbeddedWriterAsync(ct) : new(s_none);

    /// <summary>The embedded store's single writer, in this process.</summary>
    public async ValueTask<IDisposable> EnterEmbeddedWriterAsync(CancellationToken ct)
    {
        await _embeddedWriter.WaitAsync(ct).ConfigureAwait(false);
        Volatile.Write(ref _writerSince, System.Diagnostics.Stopwatch.GetTimestamp());
        return new Release(_embeddedWriter, this);
    }

    private sealed class Release(SemaphoreSlim? semaphore, StoreWriteGate? owner = null) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (semaphore is not null && Interlocked.Exchange(ref _done, 1) == 0)
            {
                if (owner is not null)
                {
                    Volatile.Write(ref owner._writerSince, 0);
                }
                semaphore.Release();
            }
        }
    }
}
