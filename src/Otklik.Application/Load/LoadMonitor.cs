using Microsoft.EntityFrameworkCore;
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
public sealed class LoadMonitor(IOptions<DeskOptions> options, TimeProvider time, Coordination.ILoadBoard board)
{
    private static readonly TimeSpan s_recount = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private Cached? _cached;

    /// <summary>The load as last computed (for metrics; no store access).</summary>
    public LoadSnapshot? Last { get; private set; }

    private sealed record Cached(int OpenTickets, int AgentsOnline, double AvgHandleMinutes, long At);

    public async Task<LoadSnapshot> CurrentAsync(OtklikDbContext db, GatePolicy policy, CancellationToken ct)
    {
        var cached = _cached;
        if (cached is null || time.GetElapsedTime(cached.At) > s_recount)
        {
            var started = time.GetTimestamp();
            if (await board.ReadAsync(ct) is { } shared)
            {
                cached = new Cached(shared.OpenTickets, shared.AgentsOnline, shared.AvgHandleMinutes, started);
            }
            else
            {
                var capacity = await db.Capacity.AsNoTracking().FirstOrDefaultAsync(c => c.Id == CapacityReport.SingletonId, ct);
                var open = await db.Tickets.CountAsync(t => t.Status == TicketStatus.Open, ct);
                cached = new Cached(open, capacity?.AgentsOnline ?? options.Value.DefaultAgentsOnline, capacity?.AvgHandleMinutes ?? options.Value.DefaultAvgHandleMinutes, started);
                await board.PublishAsync(new Coordination.LoadCounts(cached.OpenTickets, cached.AgentsOnline, cached.AvgHandleMinutes), s_recount, ct);
            }
            lock (_gate)
            {
                _cached = cached;
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
        }
    }
}
