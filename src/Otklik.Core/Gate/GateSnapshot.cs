using Otklik.Core.Appeals;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Text;
using Otklik.Core.Tickets;

namespace Otklik.Core.Gate;

public sealed record LoadFacts(int OpenTickets, int AgentsOnline, double AvgHandleMinutes);

/// <summary>A ticket as the gate saw it when an appeal arrived.</summary>
public sealed record TicketFacts(
    string TicketId, long Seq, TicketStatus Status, Queue Queue, PriorityClass Priority, string? OrderNumber, string ProblemType, string TextStems,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SolvedAt, DateTimeOffset? ClosedAt, int ReopenCount, string? AccountId, string RequesterKey)
{
    /// <summary>Solved (not closed) within <paramref name="window"/> before <paramref name="now"/>: a repeat reopens it.</summary>
    public bool RecentlySolved(DateTimeOffset now, TimeSpan window) =>
        Status == TicketStatus.Solved && SolvedAt is { } solved && now - solved <= window;
}

/// <summary>
/// Everything the gate read about an appeal's requester, stored with the appeal, so that a candidate
/// policy can be replayed over past appeals exactly as they were at receipt (the request itself and
/// its text are stored on the appeal). The policy is not part of it: that is what a replay changes.
/// </summary>
public sealed record GateSnapshot
{
    public Requester? Account { get; init; }
    public Identity? Identity { get; init; }
    public bool IdentityLinked { get; init; }
    public bool IdentityVerified { get; init; }
    public required string RequesterKey { get; init; }

    /// <summary>When the gate decided (the request's own receipt time may be earlier).</summary>
    public DateTimeOffset Now { get; init; }

    public int OrderCount { get; init; }
    public string? OrderNumber { get; init; }
    public Order? Order { get; init; }
    public int AppealsLastDay { get; init; }
    public DateTimeOffset? OldestAppealLastDay { get; init; }
    public int SameTextRequesters { get; init; }
    public IReadOnlyList<TicketFacts> Tickets { get; init; } = [];
    public double? RateTokens { get; init; }
    public DateTimeOffset? RateUpdatedAt { get; init; }
    /// <summary>The desk's load at receipt as counts (the level they mean is the policy's call; an unbounded backlog has no JSON number).</summary>
    public LoadFacts Load { get; init; } = new(0, 0, 0);

    public static GateSnapshot Of(GateContext c) => new()
    {
        Account = c.Account,
        Identity = c.Identity,
        IdentityLinked = c.IdentityLinked,
        IdentityVerified = c.IdentityVerified,
        RequesterKey = c.RequesterKey,
        Now = c.Now,
        OrderCount = c.OrderCount,
        OrderNumber = c.OrderNumber,
        Order = c.Order,
        AppealsLastDay = c.AppealsLastDay,
        OldestAppealLastDay = c.OldestAppealLastDay,
        SameTextRequesters = c.SameTextRequesters,
        Tickets = c.Tickets,
        RateTokens = double.IsNaN(c.RateTokens) ? null : c.RateTokens,
        RateUpdatedAt = c.RateUpdatedAt,
        Load = new LoadFacts(c.Load.OpenTickets, c.Load.AgentsOnline, c.Load.AvgHandleMinutes),
    };

    /// <summary>The gate's input for <paramref name="request"/> under <paramref name="policy"/>, as it was at receipt.</summary>
    public GateContext Restore(AppealRequest request, GatePolicy policy, NormalizedText text, Func<DateTimeOffset, DateOnly> localDate)
    {
        var type = policy.FindProblemType(request.ProblemType) ?? policy.FindProblemType("other")
            ?? throw new InvalidOperationException("The policy has no 'other' problem type.");
        var levels = policy.LoadLevels;
        return new GateContext
        {
            Request = request,
            Policy = policy,
            ProblemType = type,
            Text = text,
            Now = Now,
            LocalDate = localDate,
            Account = Account,
            Identity = Identity,
            IdentityLinked = IdentityLinked,
            IdentityVerified = IdentityVerified,
            RequesterKey = RequesterKey,
            OrderCount = OrderCount,
            OrderNumber = OrderNumber,
            Order = Order,
            AppealsLastDay = AppealsLastDay,
            OldestAppealLastDay = OldestAppealLastDay,
            SameTextRequesters = SameTextRequesters,
            Tickets = Tickets,
            RateTokens = RateTokens ?? double.NaN,
            RateUpdatedAt = RateUpdatedAt,
            // The backlog is a fact; which level it means is the policy's call.
            Load = LoadSnapshot.From(levels, Load.OpenTickets, Load.AgentsOnline, Load.AvgHandleMinutes),
        };
    }
}
