using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Otklik.Application.Load;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Sla;
using Otklik.Core.Text;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Appeals;

/// <summary>Resolves who is writing and loads everything the gate reads about them.</summary>
public sealed partial class GateContextLoader(LoadMonitor load, SlaClock clock)
{
    private const int OrderHistory = 50;
    private const int TicketHistory = 100;

    /// <summary>Tickets older than this are no longer matched as repeats.</summary>
    private static readonly TimeSpan s_ticketLookback = TimeSpan.FromDays(365);

    public sealed record Resolved(string RequesterKey, Requester? Account, Identity? Identity, bool Linked, bool Verified);

    public Task<Resolved> ResolveAsync(OtklikDbContext db, RequesterAddress address, CancellationToken ct) =>
        ResolveAsync(new EfGateContextSource(db), address, ct);

    public async Task<Resolved> ResolveAsync(IGateContextSource source, RequesterAddress address, CancellationToken ct)
    {
        if (address.IsAccount)
        {
            // The app and the portal authenticate the user themselves: an account id is verified.
            var account = await source.RequesterAsync(address.Value, ct);
            return new Resolved(address.Key, account, null, account is not null, account is not null);
        }
        var kind = address.Kind!.Value;
        var identity = await source.IdentityAsync(kind, address.Value, ct);
        if (identity?.AccountId is { } linkedId)
        {
            var account = await source.RequesterAsync(linkedId, ct);
            if (account is not null)
            {
                return new Resolved("account:" + account.AccountId, account, identity, true, identity.Verified);
            }
        }
        // The account's own phone and e-mail count as identities, verified as the marketplace says.
        var byContact = await source.RequesterByContactAsync(kind, address.Value, ct);
        if (byContact is not null)
        {
            var verified = kind == IdentityKind.Phone ? byContact.PhoneVerified : byContact.EmailVerified;
            return new Resolved("account:" + byContact.AccountId, byContact, identity, true, verified);
        }
        return new Resolved(address.Key, null, identity, false, false);
    }

    /// <summary>
    /// What <see cref="LoadAsync"/> asks about a requester, so that a store can send it early, with an
    /// earlier round trip, when the caller already knows who the requester is.
    /// </summary>
    public static HistoryQuery HistoryQueryFor(string? accountId, string requesterKey, AppealRequest request, GatePolicy policy, NormalizedText text, DateTimeOffset now)
    {
        var thresholds = policy.ThresholdsFor(request.Role);
        // Counting same texts stops well past the threshold: a wave of thousands costs no more than one
        // of a few dozen, and a replay under a stricter or looser policy still sees past its threshold.
        return new HistoryQuery(
            accountId, OrderHistory, requesterKey, now.AddDays(-1),
            text.Fingerprint != 0 ? unchecked((long)text.Fingerprint) : null, now.AddMinutes(-thresholds.SpamWaveWindowMinutes), Math.Max(4 * thresholds.SpamWaveRequesters, 64),
            now - s_ticketLookback, TicketHistory, request.OrderNumber);
    }

    /// <summary>Everything the gate reads, from <paramref name="source"/>; the load level as last counted (a new count runs elsewhere when it is due).</summary>
    public async Task<GateContext> LoadAsync(IGateContextSource source, Resolved who, AppealRequest request, ProblemTypeDefinition type, GatePolicy policy, NormalizedText text, DateTimeOffset now, CancellationToken ct)
    {
        var history = await source.HistoryAsync(HistoryQueryFor(who.Account?.AccountId, who.RequesterKey, request, policy, text, now), ct);
        var orders = history.Orders;
        var orderNumber = request.OrderNumber ?? FindOrderInText(request, orders);
        var order = history.NamedOrder;
        if (request.OrderNumber is null && orderNumber is not null)
        {
            order = orders.FirstOrDefault(o => o.Number == orderNumber) is { } listed
                ? await source.WholeOrderAsync(listed, ct)
                : await source.OrderAsync(orderNumber, ct);
        }
        var loadSnapshot = await load.CurrentAsync(policy, ct, LoadMonitor.Freshness.Recent);
        return new GateContext
        {
            Request = request,
            Policy = policy,
            ProblemType = type,
            Text = text,
            Now = now,
            LocalDate = clock.LocalDate,
            Account = who.Account,
            Identity = who.Identity,
            IdentityLinked = who.Linked,
            IdentityVerified = who.Verified,
            RequesterKey = who.RequesterKey,
            Orders = orders,
            OrderNumber = orderNumber,
            Order = order,
            AppealsLastDay = history.AppealsLastDay,
            OldestAppealLastDay = history.OldestAppealLastDay,
            SameTextRequesters = history.SameTextRequesters,
            Tickets = history.Tickets,
            RateTokens = history.Bucket?.Tokens ?? double.NaN,
            RateUpdatedAt = history.Bucket?.UpdatedAt,
            Load = loadSnapshot,
        };
    }

    /// <summary>
    /// Free text often carries the order number. A number of one of the requester's own orders is
    /// taken from any channel; from free-text channels a number shaped like an order number is taken
    /// too, so that a mistyped one gets <c>order_not_found</c> instead of "give us the number".
    /// </summary>
    private static string? FindOrderInText(AppealRequest request, IReadOnlyList<Order> orders)
    {
        foreach (var o in orders)
        {
            if (request.Text.Contains(o.Number, StringComparison.Ordinal))
            {
                return o.Number;
            }
        }
        if (request.Channel is Channel.App or Channel.Web)
        {
            return null;
        }
        var match = OrderNumberPattern().Match(request.Text);
        return match.Success ? match.Value : null;
    }

    [GeneratedRegex(@"(?<!\d)\d{8}-\d{4}(?!\d)")]
    private static partial Regex OrderNumberPattern();
}
