using Microsoft.EntityFrameworkCore;
using Otklik.Core.Sla;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Tickets;

/// <summary>What agents do to a ticket: reply, note, change status.</summary>
public sealed class TicketCommands(OtklikDbContext db, SlaClock clock, TimeProvider time, Load.LoadMonitor load, Channels.ReplyOutbox outbox)
{
    public async Task<Ticket?> AddMessageAsync(string ticketId, string text, bool isInternal, string agent, CancellationToken ct)
    {
        var ticket = await LoadAsync(ticketId, ct);
        if (ticket is null)
        {
            return null;
        }
        var now = time.GetUtcNow();
        ticket.AddAgentMessage(text, isInternal, agent, now);
        // In the same transaction as the message: a channel that is down delays the reply, never loses it.
        var queued = !isInternal && outbox.Enqueue(ticket, text, now);
        await db.SaveChangesAsync(ct);
        if (queued)
        {
            await outbox.SendDueAsync(ct);
        }
        return ticket;
    }

    /// <summary>
    /// The customer writes in an open conversation (the portal's ticket page): a reply, not a new
    /// appeal, so it neither passes the gate again nor counts against the limits. A ticket waiting on
    /// the customer (pending) opens again.
    /// </summary>
    public async Task<Ticket?> AddCustomerReplyAsync(string ticketId, string requesterKey, Core.Appeals.Channel channel, string text, CancellationToken ct)
    {
        var ticket = await LoadAsync(ticketId, ct);
        var own = ticket is not null && (ticket.RequesterKey == requesterKey || (ticket.AccountId is { } account && "account:" + account == requesterKey));
        if (ticket is null || !own || !ticket.Status.IsActive())
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (ticket.Status == TicketStatus.Pending)
        {
            ticket.ChangeStatus(TicketStatus.Open, now, clock.WholeBusinessDaysBetween, clock.ShiftByBusinessDays);
        }
        ticket.AddCustomerMessage(channel, text, now, null);
        await db.SaveChangesAsync(ct);
        load.Invalidate();
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

    public enum MergeResult
    {
        Done,
        NotFound,
        SameTicket,
        OtherRequester,
        NotActive,
    }

    /// <summary>Merges one ticket into another of the same requester.</summary>
    public async Task<(MergeResult Result, Ticket? Target)> MergeAsync(string sourceId, string into, string agent, CancellationToken ct)
    {
        var source = await LoadAsync(sourceId, ct);
        var target = into.StartsWith("T-", StringComparison.OrdinalIgnoreCase) && long.TryParse(into[2..], out var seq)
            ? await db.Tickets.Include(t => t.Messages).FirstOrDefaultAsync(t => t.Seq == seq, ct)
            : await LoadAsync(into, ct);
        if (source is null || target is null)
        {
            return (MergeResult.NotFound, null);
        }
        if (source.TicketId == target.TicketId)
        {
            return (MergeResult.SameTicket, null);
        }
        // Only one customer's tickets merge: a merge must never show one customer another's conversation.
        if (source.RequesterKey != target.RequesterKey)
        {
            return (MergeResult.OtherRequester, null);
        }
        if (!source.Status.IsActive() || target.Status == TicketStatus.Closed)
        {
            return (MergeResult.NotActive, null);
        }
        source.MergeInto(target, agent, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        load.Invalidate();
        return (MergeResult.Done, target);
    }

    public async Task<Ticket?> ReassignAsync(string ticketId, Queue queue, string? assignee, string by, CancellationToken ct)
    {
        var ticket = await LoadAsync(ticketId, ct);
        if (ticket is null)
        {
            return null;
        }
        ticket.Reassign(queue, assignee, by, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return ticket;
    }

    private Task<Ticket?> LoadAsync(string ticketId, CancellationToken ct) =>
        db.Tickets.Include(t => t.Messages).FirstOrDefaultAsync(t => t.TicketId == ticketId, ct);
}
