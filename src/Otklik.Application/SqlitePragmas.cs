using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Otklik.Application;

/// <summary>
/// Per-connection SQLite settings (WAL itself is persistent and set once when the store is migrated). WAL lets readers run beside the writer; synchronous=NORMAL in WAL
/// mode keeps every committed transaction across a process kill (only an OS crash could lose the last).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        command.ExecuteNonQuery();
    }
}
