using Otklik.Core.Appeals;

namespace Otklik.Core.Gate.Rules;

/// <summary>Rule 7: the problem type needs an order and none was given → choose one of the requester's orders.</summary>
public sealed class OrderRequiredRule : IGateRule
{
    public string Name => "order_required";

    public RuleVerdict Evaluate(GateContext context) =>
        !context.ProblemType.NeedsOrder ? RuleVerdict.NotApplicable
        : context.OrderNumber is null ? RuleVerdict.Decide(Outcome.NeedsInfo, ReasonCode.OrderRequired, context.OrderCount)
        : RuleVerdict.Pass;
}
