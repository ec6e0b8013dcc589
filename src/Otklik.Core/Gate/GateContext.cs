using Otklik.Core.Appeals;
using Otklik.Core.Orders;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Text;
using Otklik.Core.Tickets;

namespace Otklik.Core.Gate;

/// <summary>
/// Everything the gate reads about one appeal, loaded by the caller in one go. The gate never
/// does I/O; <see cref="Now"/> is a value, not a clock.
/// </summary>
public sealed class GateContext
{
    public required AppealRequest Request { get; init; }
    public required GatePolicy Policy { get; init; }
    public required ProblemTypeDefinition ProblemType { get; init; }
    public required NormalizedText Text { get; init; }
    public required DateTimeOffset Now { get; init; }

    /// <summary>Local dates in the desk's time zone, for order windows and inactivity.</summary>
    public required Func<DateTimeOffset, DateOnly> LocalDate { get; init; }

    /// <summary>The requester's account, when the address resolves to one.</summary>
    public Requester? Account { get; init; }

    /// <summary>The identity the appeal came from (absent for account-id appeals).</summary>
    public Identity? Identity { get; init; }

    /// <summary>The channel address is linked to an account.</summary>
    public bool IdentityLinked { get; init; }

    /// <summary>The link is verified for this channel (or the appeal came from an authenticated app/web session).</summary>
    public bool IdentityVerified { get; init; }

    /// <summary>Key used for limits and history: the account when there is one, else the channel address.</summary>
    public required string RequesterKey { get; init; }

    /// <summary>The requester's orders, newest first.</summary>
    public IReadOnlyList<Order> Orders { get; init; } = [];

    /// <summary>How many orders the requester has (a replay knows the count without the list).</summary>
    public int OrderCount
    {
        get => _orderCount ?? Orders.Count;
        init => _orderCount = value;
    }

    private readonly int? _orderCount;

    /// <summary>The order number the appeal names (given, or found in its text).</summary>
    public string? OrderNumber { get; init; }

    /// <summary>The order with that number, whoever owns it.</summary>
    public Order? Order { get; init; }

    /// <summary>Appeals from this requester in the last 24 h, this one excluded.</summary>
    public int AppealsLastDay { get; init; }

    /// <summary>When the oldest of those leaves the 24-hour window.</summary>
    public DateTimeOffset? OldestAppealLastDay { get; init; }

    /// <summary>Other requesters who sent the same normalised text within the spam-wave window.</summary>
    public int SameTextRequesters { get; init; }

    /// <summary>The requester's tickets that can still take or repeat this appeal: active, or solved/closed lately.</summary>
    public IReadOnlyList<TicketFacts> Tickets { get; init; } = [];

    public double RateTokens { get; init; } = double.NaN;
    public DateTimeOffset? RateUpdatedAt { get; init; }

    public LoadSnapshot Load { get; init; } = LoadSnapshot.Idle;

    public RuleThresholds Thresholds => Policy.ThresholdsFor(Request.Role);

    /// <summary>The appeal's priority class, as the ticket would get it.</summary>
    public PriorityClass Priority => _priority ??= PriorityClassifier.Classify(this);

    private PriorityClass? _priority;

    public bool IsGuest => Account is null;
}
