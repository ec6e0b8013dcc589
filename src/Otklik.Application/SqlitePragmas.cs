using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Otklik.Application;

/// <summary>Applies <see cref="Data.SqliteSettings.ConnectionPragmas"/> to every connection EF Core opens.</summary>
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
        command.CommandText = Data.SqliteSettings.ConnectionPragmas;
        command.ExecuteNonQuery();
    }
}
