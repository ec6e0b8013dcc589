using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Otklik.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build each provider's context without the server.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteOtklikDbContext>
{
    public SqliteOtklikDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteOtklikDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresOtklikDbContext>
{
    public PostgresOtklikDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresOtklikDbContext>().UseNpgsql("Host=localhost;Database=otklik_design").Options);
}
