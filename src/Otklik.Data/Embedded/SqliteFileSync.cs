using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Otklik.Data.Embedded;

/// <summary>
/// Has SQLite write a connection's database file to disk: the sync a checkpoint ends with, through the
/// file SQLite itself has open (<c>SQLITE_FCNTL_FILE_POINTER</c>, then the file's own <c>xSync</c>).
/// Not a file handle of our own: closing one would drop every POSIX lock the process holds on the file,
/// SQLite's included. The structures read are SQLite's public VFS interface (<c>sqlite3_file</c>,
/// <c>sqlite3_io_methods</c>); SQLitePCLRaw does not wrap <c>sqlite3_file_control</c>, so it is taken from
/// the same loaded library SQLitePCLRaw calls.
/// </summary>
internal static class SqliteFileSync
{
    private const int FileControlFilePointer = 7; // SQLITE_FCNTL_FILE_POINTER
    private const int SyncNormal = 0x2; // SQLITE_SYNC_NORMAL

    // sqlite3_io_methods: int iVersion, then xClose, xRead, xWrite, xTruncate, xSync, … (pointer-aligned).
    private static readonly int s_xSyncOffset = 5 * IntPtr.Size;

    private static readonly Lazy<FileControl> s_fileControl = new(() =>
    {
        var library = NativeLibrary.Load("e_sqlite3", typeof(raw).Assembly, null);
        return Marshal.GetDelegateForFunctionPointer<FileControl>(NativeLibrary.GetExport(library, "sqlite3_file_control"));
    });

    private static readonly IntPtr s_main = Marshal.StringToCoTaskMemUTF8("main");

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int FileControl(IntPtr db, IntPtr name, int op, IntPtr arg);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int Sync(IntPtr file, int flags);

    /// <summary>Syncs the main database file of <paramref name="connection"/> (open; used by the caller's thread only).</summary>
    public static void SyncDatabaseFile(SqliteConnection connection)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open");
        var slot = Marshal.AllocHGlobal(IntPtr.Size);
        try
        {
            Marshal.WriteIntPtr(slot, IntPtr.Zero);
            var rc = s_fileControl.Value(db.DangerousGetHandle(), s_main, FileControlFilePointer, slot);
            var file = Marshal.ReadIntPtr(slot);
            Check(rc, "locating the database file");
            var methods = file == IntPtr.Zero ? IntPtr.Zero : Marshal.ReadIntPtr(file);
            if (methods == IntPtr.Zero)
            {
                return; // not opened yet: nothing written through it
            }
            var sync = Marshal.GetDelegateForFunctionPointer<Sync>(Marshal.ReadIntPtr(methods, s_xSyncOffset));
            Check(sync(file, SyncNormal), "syncing the database file");
        }
        finally
        {
            Marshal.FreeHGlobal(slot);
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {rc} {what}", rc & 0xFF);
        }
    }
}
