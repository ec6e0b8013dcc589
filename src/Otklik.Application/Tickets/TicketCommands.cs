using Microsoft.EntityFrameworkCore;
using Otklik.Core.Sla;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Tickets;

/// <summary>What agents do to a ticket: reply, note, change status.</summary>
public sealed class TicketCommands(OtklikDbContext db, SlaClock clock, TimeProvider time, Load.LoadMonitor load)
{
    public async Task<Ticket?> AddMessageAsync(string ticketId, string text, bool isInternal, string agent, CancellationToken ct)
    {
        var ticket = await LoadAsync(ticketId, ct);
        if (ticket is null)
        {
            return null;
        }
        ticket.AddAgentMessage(text, isInternal, agent, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return ticket;
    }

    public async Task<Ticket?> ChangeStatusAsync(string ticketId, TicketStatus status, CancellationToken ct)
    {
        var ticket = await LoadAsync(ticketId, ct);
        if (ticket is null)
        {
            return null;
        }
        ticket.ChangeStatus(status, time.GetUtcNow(), clock.WholeBusinessDaysBetween, clock.ShiftByBusinessDays);
        await db.SaveChangesAsync(ct);
        load.Invalidate();
        return ticket;
    }

    private Task<Ticket?> LoadAsync(string ticketId, CancellationToken ct) =>
        db.Tickets.Include(t => t.Messages).FirstOrDefaultAsync(t => t.TicketId == ticketId, ct);
}
