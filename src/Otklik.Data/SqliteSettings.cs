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
}

/// <summary>A write lost a race (a unique key, or a row changed since it was read): decide again.</summary>
public sealed class StoreConflictException(string message, Exception? inner = null) : Exception(message, inner);
