using Otklik.Core.Tickets;

namespace Otklik.Core.Appeals;

/// <summary>
/// The gate's verdict as stored with the appeal: what the customer is told (as codes and data;
/// messages are rendered in the reader's language) and the internal trace.
/// </summary>
public sealed record Decision
{
    public required Outcome Outcome { get; init; }
    public required string PolicyVersion { get; init; }
    public PriorityClass Priority { get; init; }
    public IReadOnlyList<DecisionReason> Reasons { get; init; } = [];
    public IReadOnlyList<DecisionRemediation> Remediation { get; init; } = [];
    public IReadOnlyList<DecisionAlternative> Alternatives { get; init; } = [];
    public int? RetryAfterSeconds { get; init; }
    public DateTimeOffset? RetryAt { get; init; }
    public DateTimeOffset? Eta { get; init; }
    public TicketRef? Ticket { get; init; }
    public DateTimeOffset? FirstResponseDue { get; init; }

    /// <summary>The rule that decided, for override statistics; null when every rule passed.</summary>
    public string? DecidedBy { get; init; }
    public IReadOnlyList<TraceEntry> Trace { get; init; } = [];
}

public sealed record DecisionReason(ReasonCode Code, string? Detail = null);

public sealed record DecisionRemediation(RemediationAction Action)
{
    public string? Field { get; init; }
    public IReadOnlyList<OrderChoice>? Orders { get; init; }
    public IReadOnlyList<TicketRef>? Tickets { get; init; }
    public Channel? Channel { get; init; }
    public string? Address { get; init; }
    public DateTimeOffset? At { get; init; }
}

public sealed record OrderChoice(string Number, string Status, DateTimeOffset CreatedAt);

public sealed record TicketRef(string TicketId, string Number, TicketStatus Status, Queue Queue, PriorityClass Priority);

public sealed record DecisionAlternative(Channel Channel, string Address, string Hours);

/// <summary>One rule's line in the internal trace.</summary>
public sealed record TraceEntry(int Order, string Rule, string Verdict, Outcome? Outcome, ReasonCode? Reason, double? Observed, double? Limit, string? Detail, string? TicketId);
