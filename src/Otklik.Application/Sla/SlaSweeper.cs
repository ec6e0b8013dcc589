using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Otklik.Application.Appeals;
using Otklik.Application.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Sla;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Sla;

/// <summary>
/// Runs the escalation ladder. Due work is found again from the store on every pass (nothing lives
/// in memory, so a restart loses nothing); each rung leaves a mark on the ticket and the ticket's
/// version token makes two nodes racing for the same rung end with one winner.
/// </summary>
public sealed partial class SlaSweeper(
    OtklikDbContext db,
    SlaClock clock,
    LadderNotices notices,
    Channels.ReplyOutbox outbox,
    StoreWriteGate writeGate,
    TimeProvider time,
    OtklikMetrics metrics,
    ILogger<SlaSweeper> logger)
{
    private const int Batch = 500;

    /// <summary>One pass over the tickets with a rung due. Returns the rungs taken.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var legalHorizon = now + EscalationLadder.LegalLead;
        var candidates = await db.Tickets.AsNoTracking()
            .Where(t => (t.Status == TicketStatus.Open || t.Status == TicketStatus.Pending) && (
                (t.Status == TicketStatus.Open && t.FirstRespondedAt == null && ((t.WarnedAt == null && t.FirstResponseWarnAt <= now) || t.FirstResponseDue < now))
                || (t.LegalDeadline != null && t.LegalQueuedAt == null && t.LegalDeadline <= legalHorizon)
                || (t.ClaimOfferedAt == null && (t.FirstResponseBreaches > 0 || t.AppealCount >= EscalationLadder.UnansweredAppeals || (t.LegalDeadline != null && t.LegalDeadline < now)))))
            .OrderBy(t => t.Seq).Select(t => t.Seq).Take(Batch).ToListAsync(ct);
        var taken = 0;
        foreach (var seq in candidates)
        {
            try
            {
                taken += await StepAsync(seq, now, ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another node (or an agent) changed the ticket first; the next pass sees the result.
                LogRaced(seq);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
        return taken;
    }

    private async Task<int> StepAsync(long seq, DateTimeOffset now, CancellationToken ct)
    {
        using var writer = await writeGate.EnterWriterAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ticket = await db.Tickets.FirstAsync(t => t.Seq == seq, ct);
        var facts = await FactsAsync(ticket, now, ct);
        var taken = 0;
        foreach (var step in EscalationLadder.Due(ticket, now, facts).ToList())
        {
            switch (step)
            {
                case LadderStep.Warning:
                    ticket.WarnFirstResponse(now);
                    break;
                case LadderStep.FirstResponseBreach:
                    var newDue = clock.DueAfterBusinessDays(now, 1);
                    var apology = notices.FirstResponseBreached(ticket, newDue);
                    ticket.BreachFirstResponse(now, newDue, apology);
                    outbox.Enqueue(ticket, apology, now); // told through the ticket's own channel
                    facts = facts with { RequesterBreaches = facts.RequesterBreaches + 1 };
                    break;
                case LadderStep.LegalQueue:
                    ticket.QueueLegal(now);
                    break;
                case LadderStep.SystematicallyUnanswered:
                    break; // decided below, after the other rungs have updated the facts
            }
            taken++;
        }
        if (ticket.ClaimOfferedAt is null && EscalationLadder.UnansweredReason(ticket, now, facts) is { } reason)
        {
            var routes = notices.EscalationRoutes(ticket);
            ticket.OfferClaim(now, reason, routes);
            outbox.Enqueue(ticket, routes, now);
            taken++;
            LogUnanswered(ticket.TicketId, reason);
        }
        if (db.ChangeTracker.HasChanges())
        {
            var steps = ticket.Events.Where(e => e.At == now).Select(e => e.Kind).ToList();
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            foreach (var kind in steps)
            {
                metrics.LadderStep(kind);
            }
        }
        return taken;
    }

    private async Task<EscalationLadder.Facts> FactsAsync(Ticket ticket, DateTimeOffset now, CancellationToken ct)
    {
        var breaches = await db.Tickets.Where(t => t.RequesterKey == ticket.RequesterKey).SumAsync(t => t.FirstResponseBreaches, ct);
        var unanswered = 0;
        if (ticket.OrderNumber is { } order)
        {
            var since = now - EscalationLadder.UnansweredWindow;
            if (ticket.LastAgentReplyAt is { } reply && reply > since)
            {
                since = reply;
            }
            unanswered = await db.Appeals.CountAsync(a => a.RequesterKey == ticket.RequesterKey && a.OrderNumber == order && a.ProblemType == ticket.ProblemType && a.CreatedAt > since, ct);
        }
        return new EscalationLadder.Facts(breaches, unanswered);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Ticket {Seq} changed under the sweeper; it is looked at again next pass")]
    private partial void LogRaced(long seq);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Ticket {TicketId} is systematically unanswered ({Reason}); claim documents offered")]
    private partial void LogUnanswered(string ticketId, string reason);
}
