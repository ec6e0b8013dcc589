using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Otklik.Core.Gate;
using Otklik.Core.Policy;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Load;

/// <summary>
/// Derives the load level from the open backlog and the last capacity report. Counting open tickets
/// grows with the backlog, so the count is kept in memory: tickets this node opens add to it, any
/// other change (status, capacity) drops it, and it is recounted at least once a second so that
/// the other nodes' work is seen too. With several nodes the counts go through the shared load board
/// (Redis): whichever node finds them stale counts once and publishes, the others read.
/// </summary>
/// <remarks>
/// One count at a time, on a store connection of its own: with a hundred thousand open tickets a count
/// takes milliseconds, and every request that found the figure a second old used to count at once —
/// on the intake's single writer too, stalling every appeal queued behind it. Now the callers that find
/// it stale share the one count in flight, and the intake (<see cref="Freshness.Recent"/>) does not
/// wait for it at all while it has a figure: a count older by the count's own duration decides as well.
/// After <see cref="Invalidate"/> there is no figure, and everybody waits for a count started after it.
/// </remarks>
public sealed partial class LoadMonitor(IOptions<DeskOptions> options, TimeProvider time, Coordination.ILoadBoard board, IServiceScopeFactory scopes, ILogger<LoadMonitor> logger)
{
    private static readonly TimeSpan s_recount = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private Cached? _cached;
    private long _generation;
    private (Task<Cached> Task, long Generation)? _counting;

    /// <summary>How old a figure a caller takes.</summary>
    public enum Freshness
    {
        /// <summary>Counted within the last second (waits for a count when it is older).</summary>
        Current,

        /// <summary>The last figure while a new count runs in the background (the intake's hot path).</summary>
        Recent,
    }

    /// <summary>The load as last computed (for metrics; no store access).</summary>
    public LoadSnapshot? Last { get; private set; }

    private sealed record Cached(int OpenTickets, int AgentsOnline, double AvgHandleMinutes, long At);

    public async ValueTask<LoadSnapshot> CurrentAsync(GatePolicy policy, CancellationToken ct, Freshness freshness = Freshness.Current)
    {
        var cached = _cached;
        if (cached is null || time.GetElapsedTime(cached.At) > s_recount)
        {
            var counting = Count();
            if (cached is null || freshness == Freshness.Current)
            {
                cached = await counting.WaitAsync(ct);
            }
        }
        var snapshot = LoadSnapshot.From(policy.LoadLevels, cached.OpenTickets, cached.AgentsOnline, cached.AvgHandleMinutes);
        Last = snapshot;
        return snapshot;
    }

    /// <summary>This node opened a ticket (committed).</summary>
    public void TicketOpened()
    {
        lock (_gate)
        {
            if (_cached is { } c)
            {
                _cached = c with { OpenTickets = c.OpenTickets + 1 };
            }
        }
    }

    /// <summary>Something else changed the backlog or the capacity: count again next time.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _cached = null;
            _generation++;
        }
    }

    /// <summary>The count in flight if it started after the last <see cref="Invalidate"/>, else a new one.</summary>
    private Task<Cached> Count()
    {
        lock (_gate)
        {
            if (_counting is { } running && running.Generation == _generation && !running.Task.IsCompleted)
            {
                return running.Task;
            }
            var generation = _generation;
            var task = Task.Run(() => CountAsync(generation));
            // Nobody may be waiting for it (the intake goes on with the last figure): a failure is said here.
            _ = task.ContinueWith(static (t, state) => ((LoadMonitor)state!).LogCountFailed(t.Exception!.GetBaseException()),
                this, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _counting = (task, generation);
            return task;
        }
    }

    private async Task<Cached> CountAsync(long generation)
    {
        var started = time.GetTimestamp();
        Cached counted;
        if (await board.ReadAsync(CancellationToken.None) is { } shared)
        {
            counted = new Cached(shared.OpenTickets, shared.AgentsOnline, shared.AvgHandleMinutes, started);
        }
        else
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OtklikDbContext>();
            var capacity = await db.Capacity.AsNoTracking().FirstOrDefaultAsync(c => c.Id == CapacityReport.SingletonId);
            var open = await db.Tickets.CountAsync(t => t.Status == TicketStatus.Open);
            counted = new Cached(open, capacity?.AgentsOnline ?? options.Value.DefaultAgentsOnline, capacity?.AvgHandleMinutes ?? options.Value.DefaultAvgHandleMinutes, started);
            await board.PublishAsync(new Coordination.LoadCounts(counted.OpenTickets, counted.AgentsOnline, counted.AvgHandleMinutes), s_recount, CancellationToken.None);
        }
        lock (_gate)
        {
            // A count that began before an invalidation may have missed the change: it answers its own
            // waiters but is not kept; those who came after the change wait for a count of their own.
            if (generation == _generation)
            {
                _cached = counted;
            }
        }
        return counted;
    }

    [LoggerMessage(EventId = 2030, Level = LogLevel.Warning, Message = "Counting the open tickets for the load level failed; the last figure stands until a count succeeds")]
    private partial void LogCountFailed(Exception ex);
}
