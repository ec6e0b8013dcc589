using Microsoft.EntityFrameworkCore;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Tickets;

/// <summary>Reads of tickets, paged by a keyset cursor (the ticket sequence), newest first.</summary>
public sealed class TicketQueries(OtklikDbContext db)
{
    public Task<Ticket?> GetAsync(string ticketId, CancellationToken ct) =>
        db.Tickets.AsNoTracking().Include(t => t.Messages).Include(t => t.Events).AsSplitQuery().FirstOrDefaultAsync(t => t.TicketId == ticketId, ct);

    /// <summary>
    /// Tickets whose clocks need a look: first response 80 % used or breached and still unanswered,
    /// resolution overdue, or a legal deadline within two days — most urgent first.
    /// </summary>
    public Task<List<Ticket>> AtRiskAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        var legalHorizon = now + Core.Sla.EscalationLadder.LegalLead;
        return db.Tickets.AsNoTracking()
            .Where(t => (t.Status == TicketStatus.Open || t.Status == TicketStatus.Pending) && (
                (t.FirstRespondedAt == null && (t.FirstResponseWarnAt <= now || t.FirstResponseBreaches > 0))
                || t.ResolutionDue < now
                || (t.LegalDeadline != null && t.LegalDeadline <= legalHorizon)))
            .OrderBy(t => t.FirstResponseDue).Take(limit).ToListAsync(ct);
    }

    public async Task<(List<Ticket> Items, long? Next)> ListAsync(Queue? queue, TicketStatus? status, string? accountId, long? before, int limit, CancellationToken ct)
    {
        var q = db.Tickets.AsNoTracking();
        if (queue is { } qu)
        {
            q = q.Where(t => t.Queue == qu);
        }
        if (status is { } st)
        {
            q = q.Where(t => t.Status == st);
        }
        if (accountId is not null)
        {
            q = q.Where(t => t.AccountId == accountId);
        }
        if (before is { } b)
        {
            q = q.Where(t => t.Seq < b);
        }
        var items = await q.OrderByDescending(t => t.Seq).Take(limit + 1).ToListAsync(ct);
        long? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(limit);
            next = items[^1].Seq;
        }
        return (items, next);
    }
}
