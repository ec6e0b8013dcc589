using Otklik.Core.Appeals;
using Otklik.Core.Tickets;

namespace Otklik.Core.Gate.Rules;

/// <summary>Rule 11: the same problem while a ticket is open → the appeal joins it as a customer message.</summary>
public sealed class DuplicateOpenRule : IGateRule
{
    public string Name => "duplicate_open";

    public RuleVerdict Evaluate(GateContext context)
    {
        var ticket = TicketMatcher.Find(context, static t => t.Status.IsActive());
        return ticket is null ? RuleVerdict.Pass : RuleVerdict.Decide(Outcome.Merged, ReasonCode.DuplicateOpen, ticket: ticket);
    }
}
