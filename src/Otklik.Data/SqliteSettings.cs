namespace Otklik.Data;

/// <summary>How every SQLite connection of Otklik is set up, whoever opens it.</summary>
public static class SqliteSettings
{
    /// <summary>
    /// Per-connection settings (WAL itself is persistent, set when the store is migrated). In WAL mode
    /// synchronous=NORMAL keeps every committed transaction across a process kill (only an OS crash
    /// could lose the last ones). No memory map: with a write every few
    /// hundred microseconds, remapping the grown file cost more than the page copies it saves.
    /// </summary>
    public const string ConnectionPragmas = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;";

    /// <summary>SQLITE_CONSTRAINT: a unique key or foreign key said no.</summary>
    public const int ConstraintError = 19;

    /// <summary>
    /// The intake writer's page cache, in KiB, for a file of <paramref name="pageCount"/> pages. Its cache
    /// survives its own commits and holds the hot index pages; but while the file is under 1 GiB, SQLite
    /// walks the whole cache at the end of nearly every transaction: when a b-tree rebalance swaps two
    /// pages, it parks one under the page number of the 1 GiB "pending byte", past the end of the file,
    /// and the commit then drops every cached page past the end — found by scanning all of the cache's
    /// hash table (`pcache1TruncateUnsafe`: 4 % of the server's samples in `perf` under bench/load/run.sh's
    /// load, the largest single symbol; a uprobe showed the parked page number at almost every commit). A
    /// quarter of the cache is a quarter of that walk, and a small file's pages that miss are in the
    /// operating system's cache anyway. From 1 GiB on the parked page is inside the file, nothing is
    /// walked, and the larger cache keeps more of a large store's index pages.
    /// </summary>
    public static int WriterCacheKib(long pageCount, int pageSize) =>
        pageCount >= PendingBytePage(pageSize) - 1 ? LargeWriterCacheKib : SmallWriterCacheKib;

    /// <summary>The page that holds the file's byte at 1 GiB (SQLite's lock byte), never itself a page of data.</summary>
    public static long PendingBytePage(int pageSize) => (1L << 30) / pageSize + 1;

    public const int SmallWriterCacheKib = 16 * 1024;

    public const int LargeWriterCacheKib = 64 * 1024;

    private const int ConfigMultiThread = 2;   // SQLITE_CONFIG_MULTITHREAD
    private const int ConfigMemoryStatus = 9;  // SQLITE_CONFIG_MEMSTATUS
    private const int Ok = 0;

    private static readonly Lazy<bool> s_process = new(ConfigureOnce);

    /// <summary>
    /// SQLite's process-wide settings, applied before its first connection opens: multi-thread mode (no
    /// mutex taken around every call on a connection, which ADO.NET never lets two threads use at once) and
    /// no allocation statistics (a global mutex around every allocation). Together ≈ 4 % of the embedded
    /// writer's processor time in `perf`. SQLite takes settings only before it starts; if a connection was
    /// opened first, it keeps its defaults — correct, only slower — and this says false.
    /// </summary>
    public static bool ConfigureProcess() => s_process.Value;

    private static bool ConfigureOnce()
    {
        SQLitePCL.Batteries_V2.Init();
        return SQLitePCL.raw.sqlite3_config(ConfigMultiThread) == Ok
            && SQLitePCL.raw.sqlite3_config(ConfigMemoryStatus, 0) == Ok;
    }
}

/// <summary>A write lost a race (a unique key, or a row changed since it was read): decide again.</summary>
public sealed class StoreConflictException(string message, Exception? inner = null) : Exception(message, inner);
