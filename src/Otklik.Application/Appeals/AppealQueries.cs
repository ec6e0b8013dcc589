using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Otklik.Core.Appeals;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Appeals;

/// <summary>Reads of stored appeals and their decisions as they stand now.</summary>
public sealed class AppealQueries(OtklikDbContext db)
{
    public sealed record View(Appeal Appeal, Decision Decision, Ticket? Ticket, Ticket? AdmittedTicket);

    public async Task<View?> GetAsync(string appealId, CancellationToken ct)
    {
        var appeal = await db.Appeals.AsNoTracking().FirstOrDefaultAsync(a => a.AppealId == appealId, ct);
        return appeal is null ? null : await ViewAsync(appeal, ct);
    }

    /// <summary>The decision as stored with the appeal (and as changed since, by an override).</summary>
    public static Decision DecisionOf(Appeal appeal) => JsonSerializer.Deserialize<Decision>(appeal.DecisionJson.Utf8, OtklikJson.Options)!;

    public async Task<View> ViewAsync(Appeal appeal, CancellationToken ct)
    {
        var decision = DecisionOf(appeal);
        var ids = new[] { appeal.TicketId, appeal.AdmittedTicketId }.Where(id => id is not null).ToList();
        var tickets = ids.Count == 0 ? [] : await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.TicketId)).ToListAsync(ct);
        return new View(appeal, decision, tickets.FirstOrDefault(t => t.TicketId == appeal.TicketId), tickets.FirstOrDefault(t => t.TicketId == appeal.AdmittedTicketId));
    }

    /// <summary>Which appeals a list shows. <see cref="HeldOnly"/> is the review queue: needs_info and rejected appeals no agent has turned into a ticket.</summary>
    public sealed record Filter(string? AccountId = null, Outcome? Outcome = null, bool HeldOnly = false, string? DecidedBy = null);

    public Task<(List<View> Items, (DateTimeOffset At, string Id)? Next)> ListForAccountAsync(string accountId, (DateTimeOffset At, string Id)? before, int limit, CancellationToken ct) =>
        ListAsync(new Filter(AccountId: accountId), before, limit, ct);

    public async Task<(List<View> Items, (DateTimeOffset At, string Id)? Next)> ListAsync(Filter filter, (DateTimeOffset At, string Id)? before, int limit, CancellationToken ct)
    {
        var q = db.Appeals.AsNoTracking();
        if (filter.AccountId is { } accountId)
        {
            q = q.OfAccount(accountId);
        }
        if (filter.Outcome is { } outcome)
        {
            q = q.Where(a => a.Outcome == outcome);
        }
        if (filter.HeldOnly)
        {
            q = q.Where(a => (a.Outcome == Outcome.NeedsInfo || a.Outcome == Outcome.Rejected) && a.TicketId == null);
        }
        if (filter.DecidedBy is { } rule)
        {
            q = q.Where(a => a.DecidedBy == rule);
        }
        if (before is { } b)
        {
            q = q.Where(a => a.CreatedAt < b.At || (a.CreatedAt == b.At && string.Compare(a.AppealId, b.Id) < 0));
        }
        var appeals = await q.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.AppealId).Take(limit + 1).ToListAsync(ct);
        (DateTimeOffset, string)? next = null;
        if (appeals.Count > limit)
        {
            appeals.RemoveAt(limit);
            next = (appeals[^1].CreatedAt, appeals[^1].AppealId);
        }
        // One query for all the tickets of the page, not one per appeal.
        var ids = appeals.SelectMany(a => new[] { a.TicketId, a.AdmittedTicketId }).Where(id => id is not null).Distinct().ToList();
        var tickets = ids.Count == 0 ? new Dictionary<string, Ticket>() : await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.TicketId)).ToDictionaryAsync(t => t.TicketId, ct);
        var views = appeals.Select(a => new View(
            a,
            DecisionOf(a),
            a.TicketId is { } t ? tickets.GetValueOrDefault(t) : null,
            a.AdmittedTicketId is { } at ? tickets.GetValueOrDefault(at) : null)).ToList();
        return (views, next);
    }
}
