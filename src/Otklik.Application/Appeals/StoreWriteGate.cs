using Otklik.Data;

namespace Otklik.Application.Appeals;

/// <summary>
/// Who may write now. SQLite has one writer: queueing writers here, FIFO, beats SQLite's
/// sleep-and-retry busy handler. On PostgreSQL writers of different requesters run in parallel and
/// only the same requester is serialised (in process here, across nodes by an advisory lock).
/// </summary>
public sealed class StoreWriteGate
{
    private readonly SemaphoreSlim _embedded = new(1, 1);
    private readonly RequesterLocks _requesters = new();

    public async ValueTask<IDisposable> EnterAsync(OtklikDbContext db, string requesterKey, CancellationToken ct)
    {
        if (db.IsEmbedded)
        {
            await _embedded.WaitAsync(ct).ConfigureAwait(false);
            return new Release(_embedded);
        }
        return await _requesters.AcquireAsync(requesterKey, ct).ConfigureAwait(false);
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
