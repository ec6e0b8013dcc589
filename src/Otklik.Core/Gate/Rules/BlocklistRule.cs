using Otklik.Core.Appeals;

namespace Otklik.Core.Gate.Rules;

/// <summary>Rule 1: a blocked requester is rejected, with a human-review route, on every channel.</summary>
public sealed class BlocklistRule : IGateRule
{
    public string Name => "blocklist";

    public RuleVerdict Evaluate(GateContext context) =>
        context.Account is null ? RuleVerdict.NotApplicable
        : context.Account.Blocked ? RuleVerdict.Decide(Outcome.Rejected, ReasonCode.BlockedRequester)
        : RuleVerdict.Pass;
}
