using Otklik.Core.Appeals;

namespace Otklik.Core.Gate.Rules;

/// <summary>
/// Rule 5: a brand-new account with no orders cannot have an order problem (needs_info), but any
/// other question is accepted at P4 with <c>account_new</c> among its reasons — never a silent drop.
/// </summary>
public sealed class NewAccountRule : IGateRule
{
    public string Name => "new_account";

    public RuleVerdict Evaluate(GateContext context)
    {
        if (context.Account is not { } account)
        {
            return RuleVerdict.NotApplicable;
        }
        if (!PriorityClassifier.IsNewWithoutOrders(context))
        {
            return RuleVerdict.Pass;
        }
        var ageDays = (context.Now - account.CreatedAt).TotalDays;
        return context.ProblemType.NeedsOrder
            ? RuleVerdict.Decide(Outcome.NeedsInfo, ReasonCode.NoOrderHistory, ageDays, context.Thresholds.NewAccountDays)
            : new RuleVerdict(VerdictEffect.Note, Reason: ReasonCode.AccountNew, Observed: ageDays, Limit: context.Thresholds.NewAccountDays);
    }
}
