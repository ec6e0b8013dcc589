using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Otklik.Core.Calendar;
using Otklik.Data;

namespace Otklik.Server.Hosting;

/// <summary>The store answers a query, quickly, and its writes are not stalled.</summary>
public sealed class StoreHealthCheck(OtklikDbContext db, Otklik.Application.Appeals.StoreWriteGate writes) : IHealthCheck
{
    private static readonly TimeSpan s_slow = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The store does not answer.");
            }
            var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            var name = db.IsEmbedded ? "sqlite" : "postgresql";
            if (writes.WriterHeldFor > s_slow)
            {
                return HealthCheckResult.Degraded($"{name}: writes are stalled — one has waited {writes.WriterHeldFor.TotalSeconds:0} s for the store; new appeals queue behind it");
            }
            return took > s_slow ? HealthCheckResult.Degraded($"{name}: slow ({took.TotalSeconds:0.0} s to answer)") : HealthCheckResult.Healthy(name);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store does not answer: " + ex.GetType().Name);
        }
    }
}

/// <summary>Warns 60 days before the production calendar runs out: due times past its end cannot be computed.</summary>
public sealed class CalendarHealthCheck(Otklik.Core.Sla.SlaClock clock, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var calendar = clock.Calendar;
        var today = clock.LocalDate(time.GetUtcNow());
        var left = calendar.LastDay.DayNumber - today.DayNumber;
        return Task.FromResult(left < 0
            ? HealthCheckResult.Unhealthy($"The production calendar ended on {calendar.LastDay:yyyy-MM-dd}; load the next year's decree.")
            : left <= 60
                ? HealthCheckResult.Degraded($"The production calendar ends on {calendar.LastDay:yyyy-MM-dd} ({left} days); load the next year's decree.")
                : HealthCheckResult.Healthy($"Calendar {calendar.FirstYear}–{calendar.LastYear}"));
    }
}

/// <summary>Where shared state lives: Redis answering (healthy), Redis away and the node on local limits (degraded), or one node alone.</summary>
public sealed class SharedStateHealthCheck(IServiceProvider services, Otklik.Application.Coordination.SharedStateStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<StackExchange.Redis.IConnectionMultiplexer>() is not { } redis)
        {
            return HealthCheckResult.Healthy("local (no Redis configured: one node)");
        }
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            status.Shared();
            return HealthCheckResult.Healthy($"redis ({latency.TotalMilliseconds:0.0} ms)");
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            status.FellBack(ex.GetType().Name);
            return HealthCheckResult.Degraded("Redis does not answer: rate limits and the load level are per node until it is back; nothing is lost.");
        }
    }
}
