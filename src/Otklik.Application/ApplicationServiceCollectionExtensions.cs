using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Otklik.Application.Appeals;
using Otklik.Application.Demo;
using Otklik.Application.Directory;
using Otklik.Application.Load;
using Otklik.Application.Policy;
using Otklik.Application.Tickets;
using Otklik.Core.Calendar;
using Otklik.Core.Gate;
using Otklik.Core.Sla;
using Otklik.Data;

namespace Otklik.Application;

public static class ApplicationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store and the use cases (the host binds and validates <see cref="DeskOptions"/>). With a PostgreSQL connection string the store is
    /// PostgreSQL; otherwise SQLite in <paramref name="dataDirectory"/> (WAL).
    /// </summary>
    public static IServiceCollection AddOtklikApplication(this IServiceCollection services, string dataDirectory, string? postgresConnectionString)
    {
        services.AddSingleton(TimeProvider.System);
        if (postgresConnectionString is { Length: > 0 })
        {
            services.AddDbContextPool<PostgresOtklikDbContext>(o => o.UseNpgsql(postgresConnectionString));
            services.AddScoped<OtklikDbContext>(sp => sp.GetRequiredService<PostgresOtklikDbContext>());
            // The intake's hot path: plain prepared statements on the same database and model.
            services.AddSingleton(sp =>
            {
                using var scope = sp.CreateScope();
                return new Data.Postgres.PostgresIntakeStore(postgresConnectionString, scope.ServiceProvider.GetRequiredService<PostgresOtklikDbContext>().Model);
            });
        }
        else
        {
            System.IO.Directory.CreateDirectory(dataDirectory);
            SqliteSettings.ConfigureProcess();
            var path = Path.Combine(dataDirectory, "otklik.db");
            var pragmas = new SqlitePragmas();
            var connectionString = $"Data Source={path};Default Timeout=30";
            services.AddDbContextPool<SqliteOtklikDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(pragmas));
            services.AddScoped<OtklikDbContext>(sp => sp.GetRequiredService<SqliteOtklikDbContext>());
            // The intake's hot path: prepared statements and group commit on the same file and model.
            services.AddSingleton(sp =>
            {
                using var scope = sp.CreateScope();
                return new Data.Embedded.EmbeddedIntakeStore(connectionString, scope.ServiceProvider.GetRequiredService<SqliteOtklikDbContext>().Model);
            });
            services.AddSingleton<IntakeCommitter>();
        }
        services.AddSingleton(sp => new SlaClock(BusinessCalendar.LoadDefault(), TryFindZone(sp.GetRequiredService<IOptions<DeskOptions>>().Value.TimeZone)!));
        services.AddSingleton<PolicyProvider>();
        services.AddScoped<PolicyVersions>();
        services.AddScoped<Dashboard.DashboardQueries>();
        services.AddScoped<Access.ApiKeys>();
        services.AddScoped<PolicySimulator>();
        services.AddSingleton<SimulationJobs>();
        services.AddScoped<SyntheticAppeals>();
        services.AddSingleton(AdmissionGate.CreateDefault());
        services.AddSingleton<StoreWriteGate>();
        services.AddSingleton<LoadMonitor>();
        services.AddSingleton<Coordination.SharedStateStatus>();
        services.AddSingleton<Coordination.LocalRateLimitStore>();
        services.TryAddSingleton<Coordination.IRateLimitStore>(sp => sp.GetRequiredService<Coordination.LocalRateLimitStore>());
        services.TryAddSingleton<Coordination.ILoadBoard, Coordination.LocalLoadBoard>();
        services.AddSingleton<OtklikMetrics>();
        services.AddSingleton<GateContextLoader>();
        services.AddSingleton<TicketFactory>();
        // Stateless over singletons: built once, not for every appeal (a dozen dependencies resolved per request).
        services.AddSingleton<AppealIntake>();
        services.AddScoped<AppealQueries>();
        services.AddScoped<AppealReview>();
        services.AddScoped<TicketCommands>();
        services.AddScoped<TicketQueries>();
        services.AddScoped<DirectoryCommands>();
        services.AddScoped<DemoMarketplace>();
        services.AddScoped<Calendar.CalendarService>();
        services.AddScoped<Sla.SlaSweeper>();
        services.AddScoped<Channels.ReplyOutbox>();
        services.AddSingleton<Sla.LadderNotices>();
        services.AddScoped<Documents.ClaimDocumentBuilder>();
        services.AddScoped<Workspace.AgentDirectory>();
        services.AddScoped<Portal.CustomerPortal>();
        services.AddSingleton<Portal.OneTimeCodes>();
        services.AddSingleton(new Portal.AttachmentStore(dataDirectory));
        services.AddScoped(sp => new Directory.PersonalData(sp.GetRequiredService<OtklikDbContext>(), sp.GetRequiredService<TimeProvider>(), dataDirectory, sp.GetService<IntakeCommitter>()));
        return services;
    }

    /// <summary>Applies the provider's migrations; the store is ready when this returns.</summary>
    public static async Task MigrateOtklikStoreAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
        await db.Database.MigrateAsync(ct);
        if (db.IsEmbedded)
        {
            // Persistent for the database file: readers never wait for the writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        await scope.ServiceProvider.GetRequiredService<Calendar.CalendarService>().LoadStoredYearsAsync(ct);
    }

    public static TimeZoneInfo? TryFindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
    }
}
