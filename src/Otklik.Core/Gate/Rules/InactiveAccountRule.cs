using Otklik.Core.Appeals;

namespace Otklik.Core.Gate.Rules;

/// <summary>Rule 4: an account silent for a year re-confirms its phone first; confirming counts as activity.</summary>
public sealed class InactiveAccountRule : IGateRule
{
    public string Name => "inactive_account";

    public RuleVerdict Evaluate(GateContext context)
    {
        if (context.Account is not { } account)
        {
            return RuleVerdict.NotApplicable;
        }
        var idle = context.LocalDate(context.Now).DayNumber - context.LocalDate(account.LastActivity).DayNumber;
        var limit = context.Thresholds.InactiveDays;
        return idle > limit
            ? RuleVerdict.Decide(Outcome.NeedsInfo, ReasonCode.AccountInactive, idle, limit)
            : RuleVerdict.Measured(idle, limit);
    }
}
