using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Otklik.Data;
using Otklik.Data.Embedded;

namespace Otklik.Application.Appeals;

/// <summary>
/// Group commit for the embedded store. Intakes decide in parallel and queue their writes here; one
/// writer takes whatever has queued up, runs the writes in one transaction and commits once, then
/// answers them all. Nobody is answered before the commit, so "stored before answered" holds; one
/// write that fails (a lost race) is told so without failing its neighbours, which run again under a
/// savepoint each (<see cref="OneByOneAsync"/>). An idle store commits a lone write at once: batches
/// only form under load, where they turn many small transactions into one. Urgent writes (P1 appeals)
/// go to the front: each batch takes them first, so under overload they wait for one commit, not for the
/// queue of ordinary ones.
/// </summary>
public sealed partial class IntakeCommitter : IAsyncDisposable
{
    private const int MaxBatch = 128;

    /// <summary>
    /// Appeals committed between two checkpoints of the write-ahead log (≈ 5 pages an appeal: a log of
    /// ~350 MB at most, rewritten in place). A checkpoint copies each page once however often it changed
    /// since the last one, so a longer interval copies fewer: from 512 to 2048 the store's writes fell
    /// from 20.0 to 18.1 `pwrite` calls an appeal (perf stat under bench/load/run.sh's load). Each round
    /// ends with the writer's own catch-up (<see cref="CatchUp"/>), which stands intake still while it
    /// copies the last frames and syncs the log and the file (how long: <see cref="CheckpointAsync"/>). At
    /// 6,000 appeals/s a round every 8,192 appeals came every 1.4 s (every connection's request delayed each
    /// time); every 16,384 it is half as often, for a log twice as long.
    /// </summary>
    private const int DefaultCheckpointEvery = 16384;

    /// <summary>When the frames a checkpoint pass finds new are this few, the writer copies the rest.</summary>
    private const int CatchUpFrames = 128;

    private const int MaxCheckpointPasses = 6;

    private readonly int _checkpointEvery;
    private readonly int _cacheRequesters;
    private readonly bool _verifyCache;

    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = true });

    // Urgent jobs wait here; a Wake marker in the channel tells the writer there is one.
    private readonly System.Collections.Concurrent.ConcurrentQueue<Job> _urgent = new();
    private readonly EmbeddedIntakeStore _store;
    private readonly StoreWriteGate _writeGate;
    private readonly ILogger<IntakeCommitter> _logger;
    private readonly Task _writer;
    private readonly WriterThread _writerThread;
    private readonly Task _checkpointer;

    // Committed batches whose callers are yet to be told, and the thread of its own that tells them.
    private readonly System.Collections.Concurrent.BlockingCollection<Job[]> _committed = [];
    private readonly Task _answerer;
    private readonly SemaphoreSlim _checkpointDue = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private int _sinceCheckpoint;

    // Set by the checkpointer when its passes are done: the writer copies the frames appended meanwhile.
    private int _catchUpDue;
    private Exception? _failure;

    public IntakeCommitter(EmbeddedIntakeStore store, StoreWriteGate writeGate, IOptions<DeskOptions> options, ILogger<IntakeCommitter> logger)
        : this(store, writeGate, options, logger, DefaultCheckpointEvery)
    {
    }

    internal IntakeCommitter(EmbeddedIntakeStore store, StoreWriteGate writeGate, IOptions<DeskOptions> options, ILogger<IntakeCommitter> logger, int checkpointEvery)
    {
        _checkpointEvery = checkpointEvery;
        _cacheRequesters = options.Value.WriterCacheRequesters;
        _verifyCache = options.Value.VerifyWriterCache;
        _store = store;
        _writeGate = writeGate;
        _logger = logger;
        _writerThread = new WriterThread("Otklik store writer", options.Value.WriterNiceness);
        if (_writerThread.Refused is { } error)
        {
            LogNiceRefused(options.Value.WriterNiceness, error, _writerThread.Nice);
        }
        _writer = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.None, _writerThread).Unwrap();
        _checkpointer = Task.Run(CheckpointAsync);
        _answerer = Task.Factory.StartNew(Answer, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Runs <paramref name="write"/> in the next transaction; completes once that transaction is committed.</summary>
    public Task<T> WriteAsync<T>(Func<IIntakeSession, ValueTask<T>> write, bool urgent = false)
    {
        var job = new Job<T>(write);
        if (urgent)
        {
            _urgent.Enqueue(job);
            if (!_queue.Writer.TryWrite(Wake.Instance))
            {
                // The writer is gone; it may or may not have seen this job. Whoever dequeues it tells it.
                FailUrgent(Volatile.Read(ref _failure) ?? new ObjectDisposedException(nameof(IntakeCommitter)));
            }
            return job.Task;
        }
        if (!_queue.Writer.TryWrite(job))
        {
            return Task.FromException<T>(Volatile.Read(ref _failure) ?? new ObjectDisposedException(nameof(IntakeCommitter)));
        }
        return job.Task;
    }

    /// <summary>
    /// Has the writer drop every requester it remembers, in its next batch; completes when it has. Any commit
    /// elsewhere is forgotten at the next batch anyway — this is for when that must not wait for an appeal
    /// (an erasure of personal data).
    /// </summary>
    public Task ForgetRememberedAsync() => WriteAsync(static session =>
    {
        (session as CachingIntakeSession)?.Forget();
        return ValueTask.FromResult(true);
    });

    private void FailUrgent(Exception ex)
    {
        while (_urgent.TryDequeue(out var job))
        {
            job.Fail(ex);
            job.Complete();
        }
    }

    private async Task RunAsync()
    {
        IntakeSession session;
        try
        {
            session = _store.Open();
        }
        catch (Exception ex)
        {
            // No writer, no intake: every appeal queued now or later is told at once, never left waiting.
            LogWriterFailed(ex);
            Volatile.Write(ref _failure, ex);
            _queue.Writer.TryComplete(ex);
            while (_queue.Reader.TryRead(out var waiting))
            {
                waiting.Fail(ex);
                waiting.Complete();
            }
            FailUrgent(ex);
            return;
        }
        using var writer = session;
        var remembered = new CachingIntakeSession(session, _cacheRequesters, _verifyCache);
        Cache = remembered;
        var batch = new List<Job>(MaxBatch);
        // No ConfigureAwait(false) from here down: each await comes back to the writer's own thread (WriterThread).
        while (!_urgent.IsEmpty || await _queue.Reader.WaitToReadAsync())
        {
            // The batch is taken once the store is ours: whatever queued while we waited goes in,
            // urgent jobs first.
            using (await _writeGate.EnterEmbeddedWriterAsync(CancellationToken.None))
            {
                while (batch.Count < MaxBatch && _urgent.TryDequeue(out var urgent))
                {
                    batch.Add(urgent);
                }
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var job))
                {
                    if (job is not Wake)
                    {
                        batch.Add(job);
                    }
                }
                if (batch.Count == 0)
                {
                    continue; // only wake-ups for urgent jobs an earlier batch already took
                }
                var began = Stopwatch.GetTimestamp();
                if (Interlocked.Exchange(ref _catchUpDue, 0) == 1)
                {
                    CatchUp(session);
                }
                _sinceCheckpoint += batch.Count;
                if (_sinceCheckpoint >= _checkpointEvery && _checkpointDue.CurrentCount == 0)
                {
                    _sinceCheckpoint = 0;
                    _checkpointDue.Release();
                    session.SizeCache(); // the store has grown by this many appeals since the last look
                }
                await CommitAsync(session, remembered, batch);
                Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - began);
                Interlocked.Add(ref _jobs, batch.Count);
                Interlocked.Increment(ref _batches);
            }
            batch.Clear();
        }
    }

    private async ValueTask CommitAsync(IntakeSession session, CachingIntakeSession remembered, List<Job> batch)
    {
        try
        {
            if (!await TogetherAsync(session, remembered, batch))
            {
                await OneByOneAsync(session, remembered, batch);
            }
        }
        catch (Exception ex)
        {
            remembered.Forget();
            LogCommitFailed(batch.Count, ex);
            foreach (var job in batch)
            {
                job.Fail(ex);
            }
        }
        // Answered off the writer, by a thread of its own: each completion queues its caller's continuation
        // and can wake a thread for it, and the next batch need not wait for 31 of those (two paired runs
        // under bench/load/run.sh's load: 6,033–6,046 against 5,299–5,539 appeals/s, p99 27.6–35.7 against
        // 37.0–52.4 ms). Not a thread-pool item: under overload that would wait behind every request being
        // shed, holding the admitted ones' places in the concurrency budget meanwhile.
        _committed.Add([.. batch]);
    }

    /// <summary>
    /// Runs the whole batch in one transaction with nothing between its writes, and commits it. A savepoint
    /// around each write would let one fail alone, but SQLite copies every page a write touches into the
    /// savepoint's journal first — ≈ 13 % of the writer's processor time in `perf`, for a failure that
    /// almost never comes. When one does, that write is told, everything is rolled back (the writer's memory
    /// too) and false says the rest must be run again, one savepoint each.
    /// </summary>
    private static async ValueTask<bool> TogetherAsync(IntakeSession session, CachingIntakeSession remembered, List<Job> batch)
    {
        using var transaction = session.Begin();
        remembered.BatchStarted();
        foreach (var job in batch)
        {
            try
            {
                await job.RunAsync(remembered);
            }
            catch (Exception ex)
            {
                job.Fail(ex);
                remembered.Forget();
                transaction.Rollback();
                return false;
            }
        }
        transaction.Commit();
        return true;
    }

    /// <summary>
    /// The batch again, each write under a savepoint of one transaction: a write that fails is rolled back
    /// to its savepoint and told so without failing its neighbours. Writes run again from the start — they
    /// read what they decide on inside the transaction, so they decide again on the store without the failed
    /// one; the write that failed before is not run again.
    /// </summary>
    private static async ValueTask OneByOneAsync(IntakeSession session, CachingIntakeSession remembered, List<Job> batch)
    {
        using var transaction = session.Begin();
        remembered.BatchStarted();
        foreach (var job in batch)
        {
            if (job.Failed)
            {
                continue;
            }
            session.Savepoint();
            try
            {
                await job.RunAsync(remembered);
                session.ReleaseSavepoint();
            }
            catch (Exception ex)
            {
                session.RollbackToSavepoint();
                remembered.Forget(); // it may have written some of its changes, now undone
                job.Fail(ex);
            }
        }
        transaction.Commit();
    }

    /// <summary>
    /// Copies the few frames written since the checkpointer's copy, on the writer's connection between two
    /// transactions, where nothing new can be appended meanwhile. With the whole log in the file, the next
    /// transaction starts the log over from its first frame: under steady load the checkpointer alone
    /// never catches up with the writer, and the log grew without end (2 GB in 25 s of bench/load/run.sh),
    /// every frame appended past its end, where the file system zeroes each new block before the write
    /// (14 % of the server's CPU in `perf`). Restarted, the log is rewritten in place, in cached pages.
    /// </summary>
    private void CatchUp(IntakeSession session)
    {
        try
        {
            var (log, done) = session.CheckpointPassive();
            if (log != done)
            {
                LogCatchUpShort(log, done); // a reader still on old frames; the next round tries again
            }
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            LogCheckpointFailed(ex);
        }
    }

    private async Task CheckpointAsync()
    {
        IntakeSession? session = null;
        try
        {
            while (true)
            {
                await _checkpointDue.WaitAsync(_stopping.Token).ConfigureAwait(false);
                try
                {
                    session ??= _store.Open();
                    // Each pass copies what the writer appended during the one before and has the file write
                    // it to disk: the writer's own catch-up (which stalls intake) is left only the last frames
                    // to copy and only their pages to sync. SQLite syncs the file only when a checkpoint
                    // reaches the end of the log, which only the catch-up does; before the checkpointer synced
                    // its passes, the catch-up's sync flushed every page they had copied (≈ 200 MB a round
                    // under bench/load/run.sh's load): 44–146 ms with every intake waiting (strace: 84 ms in
                    // that one fsync), p99 of the benchmark 34–48 ms; now 16–30 ms, p99 24–26 ms.
                    var (log, _) = session.CheckpointPassive();
                    session.SyncDatabaseFile();
                    for (var pass = 1; pass < MaxCheckpointPasses; pass++)
                    {
                        var (now, _) = session.CheckpointPassive();
                        session.SyncDatabaseFile();
                        var appended = now - log;
                        log = now;
                        if (appended <= CatchUpFrames)
                        {
                            break;
                        }
                    }
                    // What the writer appended during the last sync (≈ 400–1,000 frames): copied now, without
                    // one, so the catch-up copies only what comes meanwhile.
                    session.CheckpointPassive();
                    Volatile.Write(ref _catchUpDue, 1);
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    LogCheckpointFailed(ex); // the next one catches up; the log only grows meanwhile
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            session?.Dispose();
        }
    }

    private void Answer()
    {
        foreach (var jobs in _committed.GetConsumingEnumerable())
        {
            foreach (var job in jobs)
            {
                job.Complete();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _writerThread.Dispose();
        _committed.CompleteAdding(); // the writer is done: what it committed is answered, then the thread ends
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _checkpointer.ConfigureAwait(false);
        await _answerer.ConfigureAwait(false);
        _committed.Dispose();
        _stopping.Dispose();
        _checkpointDue.Dispose();
    }

    [LoggerMessage(EventId = 2012, Level = LogLevel.Critical, Message = "The embedded store's writer could not open the store; appeals are refused until the server restarts")]
    private partial void LogWriterFailed(Exception ex);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "The embedded store's writer keeps the server's priority (nice {Nice}): the system refused Desk:WriterNiceness {Niceness} (errno {Error}); grant CAP_SYS_NICE or a LimitNICE that allows it, or set Desk:WriterNiceness to 0")]
    private partial void LogNiceRefused(int niceness, int error, int nice);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Checkpoint of the write-ahead log failed; the next one catches up")]
    private partial void LogCheckpointFailed(Exception ex);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Debug, Message = "Write-ahead log not restarted: {Checkpointed} of its {Frames} frames are in the file (a reader still uses the rest)")]
    private partial void LogCatchUpShort(int frames, int checkpointed);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "Group commit of {Count} intakes failed; every one of them is told")]
    private partial void LogCommitFailed(int count, Exception ex);

    /// <summary>Only says "an urgent job is waiting"; never run.</summary>
    private sealed class Wake : Job
    {
        public static readonly Wake Instance = new();

        public override bool Failed => false;

        public override ValueTask RunAsync(IIntakeSession session) => ValueTask.CompletedTask;

        public override void Fail(Exception ex)
        {
        }

        public override void Complete()
        {
        }
    }

    /// <summary>The writer's memory of recent requesters, once the writer has started (tests read its counters).</summary>
    internal CachingIntakeSession? Cache { get; private set; }

    /// <summary>The nice value of the writer's thread (lower runs first; the server's other threads have the process's).</summary>
    public int WriterNice => _writerThread.Nice;

    private long _busyTicks;
    private long _jobs;
    private long _batches;

    /// <summary>
    /// Time the writer has spent on batches (from taking one to answering it), in seconds: its share of the wall
    /// clock says whether the single writer is what bounds the intake.
    /// </summary>
    public double BusySeconds => Interlocked.Read(ref _busyTicks) / (double)Stopwatch.Frequency;

    /// <summary>Intakes the writer has run (committed or failed).</summary>
    public long Jobs => Interlocked.Read(ref _jobs);

    /// <summary>Batches, each one transaction.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    private abstract class Job
    {
        public abstract bool Failed { get; }

        public abstract ValueTask RunAsync(IIntakeSession session);

        public abstract void Fail(Exception ex);

        public abstract void Complete();
    }

    private sealed class Job<T>(Func<IIntakeSession, ValueTask<T>> write) : Job
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _done.Task;

        public override bool Failed => _error is not null;

        public override async ValueTask RunAsync(IIntakeSession session) => _result = await write(session).ConfigureAwait(false);

        public override void Fail(Exception ex) => _error ??= ex;

        public override void Complete()
        {
            if (_error is not null)
            {
                _done.TrySetException(_error);
            }
            else
            {
                _done.TrySetResult(_result!);
            }
        }
    }
}
