using Otklik.Core.Appeals;
using Otklik.Core.Requesters;

namespace Otklik.Core.Gate.Rules;

/// <summary>
/// Rule 8: the order must exist, belong to the requester (revealing nothing about someone else's
/// order), and fit the problem type's window. Sellers' orders belong to buyers, so for sellers only
/// existence is checked.
/// </summary>
public sealed class OrderCheckRule : IGateRule
{
    public string Name => "order_check";

    public RuleVerdict Evaluate(GateContext context)
    {
        if (context.OrderNumber is null || context.Account is null)
        {
            return RuleVerdict.NotApplicable;
        }
        if (context.Order is not { } order)
        {
            return RuleVerdict.Decide(Outcome.NeedsInfo, ReasonCode.OrderNotFound);
        }
        if (context.Request.Role == RequesterRole.Buyer && !string.Equals(order.AccountId, context.Account.AccountId, StringComparison.Ordinal))
        {
            return RuleVerdict.Decide(Outcome.NeedsInfo, ReasonCode.OrderNotOwned);
        }
        if (context.ProblemType.OrderWindow is { } window)
        {
            var delivered = order.DeliveredAt is { } d ? context.LocalDate(d) : default;
            if (!window.Admits(order, delivered, context.LocalDate(context.Request.ReceivedAt)))
            {
                return RuleVerdict.Decide(Outcome.NeedsInfo, ReasonCode.OrderNotEligible, detail: window.Describe());
            }
        }
        return RuleVerdict.Pass;
    }
}
