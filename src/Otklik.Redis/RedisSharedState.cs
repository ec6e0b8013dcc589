using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Otklik.Application.Coordination;
using StackExchange.Redis;

namespace Otklik.Redis;

/// <summary>
/// Per-key GCRA in Redis: one Lua script reads Redis's own clock (TIME), so every node agrees on the
/// time and two nodes can never both take the last slot. While Redis does not answer, the node falls
/// back to its local limiter and says so in health and metrics; the exact quotas live in the database
/// anyway, so nothing is lost — limits are only per node until Redis is back.
/// </summary>
public sealed partial class RedisRateLimitStore(IConnectionMultiplexer redis, LocalRateLimitStore local, SharedStateStatus status, ILogger<RedisRateLimitStore> logger) : IRateLimitStore
{
    private const string KeyPrefix = "otklik:rl:";

    private static readonly LuaScript s_gcra = LuaScript.Prepare("""
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = tonumber(@interval)
        local tolerance = interval * tonumber(@burst)
        local tat = tonumber(redis.call('GET', @key) or now)
        if tat < now then tat = now end
        local nextTat = tat + interval
        local allowAt = nextTat - tolerance
        if now < allowAt then
          return {0, allowAt - now}
        end
        redis.call('SET', @key, nextTat, 'PX', math.floor((nextTat - now) / 1000) + 1000)
        return {1, 0}
        """);

    public async ValueTask<Throttle> AcquireAsync(string key, RateLimit limit, CancellationToken ct)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(s_gcra, new
            {
                key = (RedisKey)(KeyPrefix + key),
                interval = (long)(limit.EmissionInterval.Ticks / 10),
                burst = limit.Burst,
            }))!;
            if (status.Degraded)
            {
                LogBack();
            }
            status.Shared();
            return (long)result[0] == 1 ? Throttle.Allow : new Throttle(false, TimeSpan.FromTicks((long)result[1] * 10));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (!status.Degraded)
            {
                LogFellBack(ex.GetType().Name);
            }
            status.FellBack(ex.GetType().Name);
            return local.Acquire(key, limit);
        }
    }

    [LoggerMessage(EventId = 7401, Level = LogLevel.Warning, Message = "Redis does not answer ({Error}); rate limits are per node until it is back")]
    private partial void LogFellBack(string error);

    [LoggerMessage(EventId = 7402, Level = LogLevel.Information, Message = "Redis answers again; rate limits are shared across nodes")]
    private partial void LogBack();
}

/// <summary>The load counts in one Redis key with a short expiry: the first node to find it gone counts and publishes.</summary>
public sealed class RedisLoadBoard(IConnectionMultiplexer redis, SharedStateStatus status) : ILoadBoard
{
    private const string Key = "otklik:load";

    public async ValueTask<LoadCounts?> ReadAsync(CancellationToken ct)
    {
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(Key);
            status.Shared();
            if (value.IsNullOrEmpty)
            {
                return null;
            }
            var parts = value.ToString().Split('|');
            return parts.Length == 3
                && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var open)
                && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var agents)
                && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var avg)
                ? new LoadCounts(open, agents, avg)
                : null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            status.FellBack(ex.GetType().Name);
            return null;
        }
    }

    public async ValueTask PublishAsync(LoadCounts counts, TimeSpan freshFor, CancellationToken ct)
    {
        try
        {
            var value = string.Create(CultureInfo.InvariantCulture, $"{counts.OpenTickets}|{counts.AgentsOnline}|{counts.AvgHandleMinutes}");
            await redis.GetDatabase().StringSetAsync(Key, value, freshFor);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            status.FellBack(ex.GetType().Name);
        }
    }
}

public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Shares rate limits and the load level through Redis (<c>ConnectionStrings:Redis</c>). The node
    /// starts even when Redis is down (it keeps trying in the background and falls back meanwhile).
    /// </summary>
    public static IServiceCollection AddOtklikRedis(this IServiceCollection services, string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 1000);
        options.ConnectRetry = 1;
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        services.Replace(ServiceDescriptor.Singleton<IRateLimitStore, RedisRateLimitStore>());
        services.Replace(ServiceDescriptor.Singleton<ILoadBoard, RedisLoadBoard>());
        return services;
    }
}
