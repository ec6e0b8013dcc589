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
