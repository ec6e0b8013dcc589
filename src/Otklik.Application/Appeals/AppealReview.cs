using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Otklik.Application.Policy;
using Otklik.Application.Tickets;
using Otklik.Core.Appeals;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Appeals;

/// <summary>
/// Appeals that did not become tickets at once: agents override held ones, and deferred ones are
/// admitted by class, then oldest first, as the load falls.
/// </summary>
public sealed partial class AppealReview(
    OtklikDbContext db,
    PolicyProvider policies,
    TicketFactory tickets,
    Load.LoadMonitor load,
    StoreWriteGate writeGate,
    TimeProvider time,
    OtklikMetrics metrics,
    ILogger<AppealReview> logger)
{
    public enum OverrideStatus
    {
        Done,
        NotFound,
        NotHeld,
    }

    /// <summary>Turns a held (needs_info, rejected) or still-deferred appeal into a ticket; counted against the rule that held it.</summary>
    public async Task<OverrideStatus> OverrideAsync(string appealId, string agent, string reason, CancellationToken ct)
    {
        var probe = await db.Appeals.AsNoTracking().FirstOrDefaultAsync(a => a.AppealId == appealId, ct);
        if (probe is null)
        {
            return OverrideStatus.NotFound;
        }
        using var entered = await writeGate.EnterRequesterAsync(probe.RequesterKey, ct);
        using var writer = await writeGate.EnterWriterAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var appeal = await db.Appeals.FirstAsync(a => a.AppealId == appealId, ct);
        var held = appeal.Outcome.IsHeld() || appeal.AwaitingAdmission;
        if (!held || appeal.TicketId is not null || appeal.AdmittedTicketId is not null)
        {
            return OverrideStatus.NotHeld;
        }
        var now = time.GetUtcNow();
        var ticket = await OpenForAsync(appeal, ct);
        ticket.AddSystemNote($"Override by {agent}: {reason}", now);
        db.Tickets.Add(ticket);
        if (appeal.AwaitingAdmission)
        {
            appeal.Admit(ticket.TicketId, now);
        }
        appeal.Override(ticket.TicketId, agent, reason, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        load.TicketOpened();
        metrics.Overridden(appeal.DecidedBy);
        return OverrideStatus.Done;
    }

    /// <summary>Admits deferred appeals while the load level allows their class. Returns how many were admitted.</summary>
    public async Task<int> AdmitDeferredAsync(CancellationToken ct, int max = int.MaxValue)
    {
        var admitted = 0;
        while (!ct.IsCancellationRequested && admitted < max)
        {
            var policy = policies.Current;
            var next = await db.Appeals.AsNoTracking().InAdmissionOrder()
                .Select(a => new { a.AppealId, a.RequesterKey, a.Priority }).FirstOrDefaultAsync(ct);
            if (next is null)
            {
                break;
            }
            var snapshot = await load.CurrentAsync(policy, ct);
            if (policy.LoadLevels.Defers(snapshot.Level, next.Priority))
            {
                break; // classes are admitted in order: if the most urgent waits, so do the rest
            }
            using (await writeGate.EnterRequesterAsync(next.RequesterKey, ct))
            using (await writeGate.EnterWriterAsync(db, ct))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var appeal = await db.Appeals.FirstAsync(a => a.AppealId == next.AppealId, ct);
                if (!appeal.AwaitingAdmission)
                {
                    continue;
                }
                var now = time.GetUtcNow();
                var ticket = await OpenForAsync(appeal, ct);
                db.Tickets.Add(ticket);
                appeal.Admit(ticket.TicketId, now);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                db.ChangeTracker.Clear();
                load.TicketOpened();
                admitted++;
                LogAdmitted(appeal.AppealId, ticket.TicketId);
            }
        }
        return admitted;
    }

    private async Task<Ticket> OpenForAsync(Appeal appeal, CancellationToken ct)
    {
        var policy = policies.Current;
        var price = appeal.OrderNumber is null || appeal.AccountId is null
            ? null
            : await db.Orders.Where(o => o.Number == appeal.OrderNumber && o.AccountId == appeal.AccountId).Select(o => (decimal?)o.PriceRub).FirstOrDefaultAsync(ct);
        return tickets.Open(new TicketFactory.Opening(
            appeal.AccountId, appeal.RequesterKey, appeal.Role, appeal.OrderNumber, appeal.ProblemType, appeal.Demand, appeal.Channel,
            appeal.Priority, appeal.ReceivedAt, appeal.Text, appeal.TextStems, appeal.AppealId, null, price), policy);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Deferred appeal {AppealId} admitted as ticket {TicketId}")]
    private partial void LogAdmitted(string appealId, string ticketId);
}
