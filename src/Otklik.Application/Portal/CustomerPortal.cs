using Microsoft.EntityFrameworkCore;
using Otklik.Application.Policy;
using Otklik.Core.Appeals;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Sla;
using Otklik.Data;

namespace Otklik.Application.Portal;

/// <summary>What the customer portal reads: the customer's account and orders, and what an appeal will need before it is sent.</summary>
public sealed class CustomerPortal(OtklikDbContext db, PolicyProvider policies, SlaClock clock, TimeProvider time)
{
    /// <summary>Before sending: does this order fit the problem type, is a photo needed, which demands and legal terms apply.</summary>
    public sealed record Requirements(
        ProblemTypeDefinition Type, bool OrderFits, string? WindowRule, bool EvidenceRequired, IReadOnlyList<(Demand Demand, string Article, int Days)> Demands);

    /// <summary>The account whose verified phone this is (its own phone, or a verified phone identity).</summary>
    public async Task<Requester?> FindByPhoneAsync(string phone, CancellationToken ct)
    {
        var normalized = PhoneNumber.Normalize(phone);
        var account = await db.Requesters.AsNoTracking().FirstOrDefaultAsync(r => r.Phone == normalized && r.PhoneVerified, ct);
        if (account is not null)
        {
            return account;
        }
        var identity = await db.Identities.AsNoTracking().FirstOrDefaultAsync(i => i.Kind == IdentityKind.Phone && i.Value == normalized && i.Verified, ct);
        return identity?.AccountId is { } id ? await db.Requesters.AsNoTracking().FirstOrDefaultAsync(r => r.AccountId == id, ct) : null;
    }

    /// <summary>The account with this phone, verified or not (for channels that verify the phone themselves, like Telegram's shared contact).</summary>
    public Task<Requester?> FindByAnyPhoneAsync(string phone, CancellationToken ct)
    {
        var normalized = PhoneNumber.Normalize(phone);
        return db.Requesters.AsNoTracking().FirstOrDefaultAsync(r => r.Phone == normalized, ct);
    }

    /// <summary>The account a channel identity is linked to and verified for, if any.</summary>
    public async Task<Requester?> LinkedAccountAsync(IdentityKind kind, string value, CancellationToken ct)
    {
        var identity = await db.Identities.AsNoTracking().FirstOrDefaultAsync(i => i.Kind == kind && i.Value == value && i.Verified, ct);
        return identity?.AccountId is { } id ? await db.Requesters.AsNoTracking().FirstOrDefaultAsync(r => r.AccountId == id, ct) : null;
    }

    /// <summary>The channel identities of one kind linked to an account (where to deliver replies).</summary>
    public Task<List<string>> IdentitiesAsync(string accountId, IdentityKind kind, CancellationToken ct) =>
        db.Identities.AsNoTracking().Where(i => i.AccountId == accountId && i.Kind == kind && i.Verified).Select(i => i.Value).ToListAsync(ct);

    public Task<Requester?> AccountAsync(string accountId, CancellationToken ct) =>
        db.Requesters.AsNoTracking().FirstOrDefaultAsync(r => r.AccountId == accountId, ct);

    public Task<List<Order>> OrdersAsync(string accountId, CancellationToken ct) =>
        db.Orders.AsNoTracking().Where(o => o.AccountId == accountId).OrderByDescending(o => o.CreatedAt).Take(100).ToListAsync(ct);

    public Task<Order?> OrderAsync(string accountId, string number, CancellationToken ct) =>
        db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.AccountId == accountId && o.Number == number, ct);

    public IReadOnlyList<ProblemTypeDefinition> TypesFor(RequesterRole role, bool withOrder) =>
        [.. policies.Current.Catalog.Where(t => t.Roles.Contains(role) && (withOrder ? t.NeedsOrder || t.Code == "other" : !t.NeedsOrder))];

    public Requirements? RequirementsFor(Order? order, string problemType)
    {
        var policy = policies.Current;
        var type = policy.FindProblemType(problemType);
        if (type is null)
        {
            return null;
        }
        var fits = true;
        if (order is not null && type.OrderWindow is { } window)
        {
            var delivered = order.DeliveredAt is { } d ? clock.LocalDate(d) : default;
            fits = window.Admits(order, delivered, clock.LocalDate(time.GetUtcNow()));
        }
        var demands = type.LegalBasis is null
            ? []
            : Enum.GetValues<Demand>().Where(d => d != Demand.Information)
                .Select(d => (d, policy.FindLegalTerm(d, type.Code)))
                .Where(x => x.Item2 is not null)
                .Select(x => (x.d, x.Item2!.Article, x.Item2.Days)).ToList();
        return new Requirements(type, fits, type.OrderWindow?.Describe(), type.Evidence, demands);
    }
}
