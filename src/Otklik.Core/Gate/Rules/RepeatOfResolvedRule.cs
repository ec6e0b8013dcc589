using Otklik.Core.Appeals;
using Otklik.Core.Tickets;

namespace Otklik.Core.Gate.Rules;

/// <summary>
/// Rule 12: the same problem after the ticket was solved. Solved within the window → reopened and
/// escalated. Solved longer ago, or closed → a new ticket that follows up the old one.
/// </summary>
public sealed class RepeatOfResolvedRule : IGateRule
{
    public string Name => "repeat_of_resolved";

    public RuleVerdict Evaluate(GateContext context)
    {
        var ticket = TicketMatcher.Find(context, static t => t.Status is TicketStatus.Solved or TicketStatus.Closed);
        if (ticket is null)
        {
            return RuleVerdict.Pass;
        }
        var window = TimeSpan.FromDays(context.Thresholds.RepeatWindowDays);
        if (ticket.RecentlySolved(context.Now, window))
        {
            return RuleVerdict.Decide(Outcome.Reopened, ReasonCode.RepeatOfResolved, ticket.ReopenCount + 1, context.Thresholds.RepeatWindowDays, ticket: ticket);
        }
        return new RuleVerdict(VerdictEffect.Note, Detail: "follow_up", Ticket: ticket);
    }
}
