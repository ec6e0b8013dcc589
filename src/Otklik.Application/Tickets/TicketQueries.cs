using Microsoft.EntityFrameworkCore;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Tickets;

/// <summary>Reads of tickets, paged by a keyset cursor (the ticket sequence), newest first.</summary>
public sealed class TicketQueries(OtklikDbContext db)
{
    public Task<Ticket?> GetAsync(string ticketId, CancellationToken ct) =>
        db.Tickets.AsNoTracking().Include(t => t.Messages.OrderBy(m => m.At).ThenBy(m => m.Id)).FirstOrDefaultAsync(t => t.TicketId == ticketId, ct);

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
