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

    /// <summary>
    /// An agent's queue: active tickets by first-response due time, most urgent first. <paramref name="search"/>
    /// finds a ticket number (T-000123), an order number, or a customer's phone.
    /// </summary>
    public async Task<List<Ticket>> QueueAsync(Queue? queue, string? search, int limit, CancellationToken ct)
    {
        var q = db.Tickets.AsNoTracking().Where(t => t.Status == TicketStatus.Open || t.Status == TicketStatus.Pending);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim();
            if (s.StartsWith("T-", StringComparison.OrdinalIgnoreCase) && long.TryParse(s[2..], out var seq))
            {
                q = db.Tickets.AsNoTracking().Where(t => t.Seq == seq);
            }
            else
            {
                var phone = Core.Requesters.PhoneNumber.Normalize(s);
                var accounts = db.Requesters.Where(r => r.Phone == phone).Select(r => r.AccountId);
                q = db.Tickets.AsNoTracking().Where(t => t.OrderNumber == s || accounts.Contains(t.AccountId!));
            }
        }
        else if (queue is { } qu)
        {
            q = q.Where(t => t.Queue == qu);
        }
        return await q.OrderBy(t => t.FirstResponseDue).Take(limit).ToListAsync(ct);
    }

    public Task<List<Ticket>> ForRequesterAsync(string requesterKey, CancellationToken ct) =>
        db.Tickets.AsNoTracking().Where(t => t.RequesterKey == requesterKey).OrderByDescending(t => t.Seq).Take(20).ToListAsync(ct);

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
            q = q.OfAccount(accountId);
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
