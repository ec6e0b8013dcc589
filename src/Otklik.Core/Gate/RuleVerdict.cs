using Otklik.Core.Appeals;
using Otklik.Core.Tickets;

namespace Otklik.Core.Gate;

/// <summary>
/// One rule's verdict: what it decided and the figures it compared, for the trace. A small value;
/// the common verdicts are cached statics so the warm path allocates nothing for them.
/// </summary>
public readonly record struct RuleVerdict(
    VerdictEffect Effect,
    Outcome Outcome = Outcome.Accepted,
    ReasonCode? Reason = null,
    double Observed = double.NaN,
    double Limit = double.NaN,
    string? Detail = null,
    TicketFacts? Ticket = null,
    TimeSpan? RetryAfter = null)
{
    public static readonly RuleVerdict Pass = new(VerdictEffect.Pass);

    public static readonly RuleVerdict NotApplicable = new(VerdictEffect.NotApplicable);

    public static RuleVerdict Decide(Outcome outcome, ReasonCode reason, double observed = double.NaN, double limit = double.NaN, string? detail = null, TicketFacts? ticket = null, TimeSpan? retryAfter = null) =>
        new(VerdictEffect.Decide, outcome, reason, observed, limit, detail, ticket, retryAfter);

    public static RuleVerdict Measured(double observed, double limit) => new(VerdictEffect.Pass, Observed: observed, Limit: limit);
}
