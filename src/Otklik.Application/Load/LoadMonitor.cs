using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Otklik.Core.Gate;
using Otklik.Core.Policy;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Load;

/// <summary>Derives the load level from the open backlog and the last capacity report.</summary>
public sealed class LoadMonitor(IOptions<DeskOptions> options)
{
    public async Task<LoadSnapshot> CurrentAsync(OtklikDbContext db, GatePolicy policy, CancellationToken ct)
    {
        var capacity = await db.Capacity.AsNoTracking().FirstOrDefaultAsync(c => c.Id == CapacityReport.SingletonId, ct);
        var open = await db.Tickets.CountAsync(t => t.Status == TicketStatus.Open, ct);
        var agents = capacity?.AgentsOnline ?? options.Value.DefaultAgentsOnline;
        var handle = capacity?.AvgHandleMinutes ?? options.Value.DefaultAvgHandleMinutes;
        return LoadSnapshot.From(policy.LoadLevels, open, agents, handle);
    }
}
