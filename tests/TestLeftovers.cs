using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace Otklik.Tests;

/// <summary>
/// What the tests leave on the machine — each desk's data directory and PostgreSQL database — cleaned up. Not
/// when a desk is disposed: tests restart a desk on the directory (and database) of one they have just disposed.
/// The directories go when the test process ends. The databases cannot: dropping one takes longer than the test
/// host is given to exit (measured: killed before the first DROP returned), so each process lists its databases
/// in a file of its own, and the next test process to start drops those of processes no longer running, in the
/// background. Without this a developer's machine kept ≈ 1.3 GB of directories and 0.6 GB of databases from
/// every full run; now at most the last run's databases stay until the next.
/// </summary>
internal static class TestLeftovers
{
    private static readonly string s_lists = Path.Combine(Path.GetTempPath(), "otklik-test-leftovers");
    private static readonly ConcurrentDictionary<string, byte> s_directories = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string Admin, string Name), byte> s_databases = new();
    private static readonly Lock s_listLock = new();
    private static int s_started;

    public static void Directory(string path)
    {
        Start();
        s_directories.TryAdd(path, 0);
    }

    /// <param name="adminConnectionString">A connection that may drop the database (not to the database itself).</param>
    public static void Database(string adminConnectionString, string name)
    {
        Start();
        if (s_databases.TryAdd((adminConnectionString, name), 0))
        {
            lock (s_listLock)
            {
                File.AppendAllText(ListOf(Environment.ProcessId), adminConnectionString + "\t" + name + "\n");
            }
        }
    }

    private static string ListOf(int processId) => Path.Combine(s_lists, processId.ToString(CultureInfo.InvariantCulture) + ".databases");

    private static void Start()
    {
        if (Interlocked.Exchange(ref s_started, 1) != 0)
        {
            return;
        }
        System.IO.Directory.CreateDirectory(s_lists);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteDirectories();
        _ = Task.Run(DropDatabasesOfEndedRuns);
    }

    private static void DeleteDirectories()
    {
        foreach (var directory in s_directories.Keys)
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: a file still held open stays behind, as it would have anyway.
            }
        }
    }

    private static void DropDatabasesOfEndedRuns()
    {
        foreach (var list in System.IO.Directory.GetFiles(s_lists, "*.databases"))
        {
            if (!int.TryParse(Path.GetFileNameWithoutExtension(list), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || Running(pid))
            {
                continue;
            }
            try
            {
                foreach (var server in File.ReadAllLines(list).Select(l => l.Split('\t')).Where(p => p.Length == 2).GroupBy(p => p[0]))
                {
                    var admin = new NpgsqlConnectionStringBuilder(server.Key) { Database = "postgres", Pooling = false };
                    using var connection = new NpgsqlConnection(admin.ConnectionString);
                    connection.Open();
                    foreach (var name in server.Select(p => p[1]).Distinct())
                    {
                        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", connection);
                        drop.ExecuteNonQuery();
                    }
                }
                File.Delete(list);
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or UnauthorizedAccessException)
            {
                // Kept for the next run: that server is down, or another run is sweeping the same list.
            }
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
