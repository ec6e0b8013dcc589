using Microsoft.EntityFrameworkCore;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Orders;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Data;

/// <summary>
/// The reads the admission gate's context needs, one method a question. EF Core answers them on any
/// provider (<see cref="EfGateContextSource"/>); the embedded store answers them with prepared
/// statements on a kept-open connection (<see cref="Embedded.IntakeSession"/>).
/// </summary>
public interface IGateContextSource
{
    ValueTask<Requester?> RequesterAsync(string accountId, CancellationToken ct);

    ValueTask<Identity?> IdentityAsync(IdentityKind kind, string value, CancellationToken ct);

    /// <summary>The account whose own phone or e-mail this is, a verified one first.</summary>
    ValueTask<Requester?> RequesterByContactAsync(IdentityKind kind, string value, CancellationToken ct);

    /// <summary>The account's newest orders, newest first.</summary>
    ValueTask<List<Order>> RecentOrdersAsync(string accountId, int limit, CancellationToken ct);

    /// <summary>
    /// The whole order behind one from <see cref="RecentOrdersAsync"/>, which need only carry an order's
    /// number, status and creation time (what the gate lists back to the customer).
    /// </summary>
    ValueTask<Order> WholeOrderAsync(Order listed, CancellationToken ct);

    ValueTask<Order?> OrderAsync(string number, CancellationToken ct);

    ValueTask<(int Count, DateTimeOffset? Oldest)> AppealsSinceAsync(string requesterKey, DateTimeOffset since, CancellationToken ct);

    /// <summary>How many other requesters sent a text with this fingerprint since then, counted up to <paramref name="atMost"/>.</summary>
    ValueTask<int> OtherRequestersWithTextAsync(long fingerprint, DateTimeOffset since, string requesterKey, int atMost, CancellationToken ct);

    /// <summary>The requester's open and pending tickets and those updated since then, newest first, as the gate reads them.</summary>
    ValueTask<List<TicketFacts>> TicketsAsync(string requesterKey, DateTimeOffset updatedSince, int limit, CancellationToken ct);

    ValueTask<RateBucket?> RateBucketAsync(string requesterKey, CancellationToken ct);

    /// <summary>
    /// Everything the gate reads about a requester once they are known. A store that pays per round
    /// trip answers it in one; the others ask the questions above in turn.
    /// </summary>
    async ValueTask<RequesterHistory> HistoryAsync(HistoryQuery query, CancellationToken ct)
    {
        var orders = query.AccountId is { } account ? await RecentOrdersAsync(account, query.OrderLimit, ct) : [];
        var (count, oldest) = await AppealsSinceAsync(query.RequesterKey, query.AppealsSince, ct);
        var sameText = query.Fingerprint is { } fingerprint
            ? await OtherRequestersWithTextAsync(fingerprint, query.TextSince, query.RequesterKey, query.TextAtMost, ct)
            : 0;
        var tickets = await TicketsAsync(query.RequesterKey, query.TicketsSince, query.TicketLimit, ct);
        var bucket = await RateBucketAsync(query.RequesterKey, ct);
        var named = query.OrderNumber is { } number ? await OrderAsync(number, ct) : null;
        return new RequesterHistory(orders, count, oldest, sameText, tickets, bucket, named);
    }
}

/// <summary>
/// What <see cref="IGateContextSource.HistoryAsync"/> reads: each part as the single questions take it,
/// and the order the appeal names (read whole, whoever's it is), if it names one.
/// </summary>
public sealed record HistoryQuery(
    string? AccountId, int OrderLimit, string RequesterKey, DateTimeOffset AppealsSince,
    long? Fingerprint, DateTimeOffset TextSince, int TextAtMost, DateTimeOffset TicketsSince, int TicketLimit, string? OrderNumber = null);

/// <summary>
/// A requester's orders (none without an account), appeals of the last day, others' same text, tickets
/// and rate bucket, and the order the query named (null when it named none or there is no such order).
/// </summary>
public sealed record RequesterHistory(
    List<Order> Orders, int AppealsLastDay, DateTimeOffset? OldestAppealLastDay, int SameTextRequesters, List<TicketFacts> Tickets, RateBucket? Bucket,
    Order? NamedOrder = null);

/// <summary>
/// One appeal's way through a store: the gate's reads, then its writes, all inside one transaction
/// that the store's own code begins and commits (the embedded store's group commit; one PostgreSQL
/// transaction an appeal). A write that lost a race throws <see cref="StoreConflictException"/>.
/// </summary>
public interface IIntakeSession : IGateContextSource
{
    /// <summary>
    /// Holds the requester until the transaction ends, so that two appeals of one person, on any node,
    /// see each other (one ticket, not two). <paramref name="key"/> is the requester's stable hash.
    /// </summary>
    ValueTask LockRequesterAsync(long key, CancellationToken ct);

    /// <summary>The appeal a client already sent under this idempotency key, if any.</summary>
    ValueTask<Appeal?> FindAppealAsync(string clientName, string idempotencyKey, CancellationToken ct);

    /// <summary>The whole ticket (without its events and messages), to change and save it.</summary>
    ValueTask<Ticket?> FullTicketAsync(long seq, CancellationToken ct);

    /// <summary>Inserts a new ticket with its first events and messages; the ticket gets its number.</summary>
    ValueTask InsertTicketAsync(Ticket ticket, CancellationToken ct);

    /// <summary>
    /// Saves a ticket read by this intake and changed by it, if nobody changed it since (its version),
    /// with the events and messages it gained after the given counts.
    /// </summary>
    ValueTask UpdateTicketAsync(Ticket ticket, int eventsBefore, int messagesBefore, CancellationToken ct);

    /// <summary>Saves the requester's bucket: a new one, or the one read at <paramref name="readAt"/> if it still is.</summary>
    ValueTask SaveBucketAsync(RateBucket bucket, DateTimeOffset? readAt, CancellationToken ct);

    ValueTask FlagForReviewAsync(string accountId, CancellationToken ct);

    ValueTask InsertAppealAsync(Appeal appeal, CancellationToken ct);
}

/// <summary>The gate's reads through EF Core.</summary>
public sealed class EfGateContextSource(OtklikDbContext db) : IGateContextSource
{
    public async ValueTask<Requester?> RequesterAsync(string accountId, CancellationToken ct) =>
        await db.Requesters.FirstOrDefaultAsync(r => r.AccountId == accountId, ct);

    public async ValueTask<Identity?> IdentityAsync(IdentityKind kind, string value, CancellationToken ct) =>
        await db.Identities.FirstOrDefaultAsync(i => i.Kind == kind && i.Value == value, ct);

    public async ValueTask<Requester?> RequesterByContactAsync(IdentityKind kind, string value, CancellationToken ct) => kind switch
    {
        IdentityKind.Phone => await db.Requesters.Where(r => r.Phone == value).OrderByDescending(r => r.PhoneVerified).FirstOrDefaultAsync(ct),
        IdentityKind.Email => await db.Requesters.Where(r => r.Email == value).OrderByDescending(r => r.EmailVerified).FirstOrDefaultAsync(ct),
        _ => null,
    };

    public async ValueTask<List<Order>> RecentOrdersAsync(string accountId, int limit, CancellationToken ct) =>
        await db.Orders.AsNoTracking().Where(o => o.AccountId == accountId).OrderByDescending(o => o.CreatedAt).Take(limit).ToListAsync(ct);

    public ValueTask<Order> WholeOrderAsync(Order listed, CancellationToken ct) => new(listed); // EF Core read them whole

    public async ValueTask<Order?> OrderAsync(string number, CancellationToken ct) =>
        await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Number == number, ct);

    public async ValueTask<(int Count, DateTimeOffset? Oldest)> AppealsSinceAsync(string requesterKey, DateTimeOffset since, CancellationToken ct)
    {
        var recent = await db.Appeals.Where(a => a.RequesterKey == requesterKey && a.CreatedAt >= since)
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Oldest = g.Min(a => a.CreatedAt) })
            .FirstOrDefaultAsync(ct);
        return (recent?.Count ?? 0, recent?.Oldest);
    }

    public async ValueTask<int> OtherRequestersWithTextAsync(long fingerprint, DateTimeOffset since, string requesterKey, int atMost, CancellationToken ct) =>
        await db.Appeals.Where(a => a.TextFingerprint == fingerprint && a.CreatedAt >= since && a.RequesterKey != requesterKey)
            .Select(a => a.RequesterKey).Distinct().Take(atMost).CountAsync(ct);

    public async ValueTask<List<TicketFacts>> TicketsAsync(string requesterKey, DateTimeOffset updatedSince, int limit, CancellationToken ct) =>
        (await db.Tickets.AsNoTracking()
            .Where(t => t.RequesterKey == requesterKey && (t.Status == TicketStatus.Open || t.Status == TicketStatus.Pending || t.UpdatedAt >= updatedSince))
            .OrderByDescending(t => t.UpdatedAt).Take(limit).ToListAsync(ct)).ConvertAll(t => t.Facts());

    public async ValueTask<RateBucket?> RateBucketAsync(string requesterKey, CancellationToken ct) =>
        await db.RateBuckets.FirstOrDefaultAsync(b => b.RequesterKey == requesterKey, ct);
}
