using Otklik.Core.Appeals;

namespace Otklik.Core.Gate.Rules;

/// <summary>
/// Rule 3: the channel address must be linked to an account and verified for the channel. Guests may
/// still ask what the catalog allows them (pre-purchase questions); too many failed confirmations lock
/// the identity for a while.
/// </summary>
public sealed class IdentityVerificationRule : IGateRule
{
    public string Name => "identity_verification";

    public RuleVerdict Evaluate(GateContext context)
    {
        var t = context.Thresholds;
        if (context.Identity is { } identity && identity.FailedConfirmations >= t.VerificationMaxFailures && identity.LastFailedAt is { } failedAt)
        {
            var until = failedAt.AddMinutes(t.VerificationLockMinutes);
            if (until > context.Now)
            {
                return RuleVerdict.Decide(Outcome.Rejected, ReasonCode.VerificationFailed, identity.FailedConfirmations, t.VerificationMaxFailures, retryAfter: until - context.Now);
            }
        }
        if (context.IdentityLinked && context.IdentityVerified)
        {
            return RuleVerdict.Pass;
        }
        if (context.ProblemType.GuestsAllowed)
        {
            return new RuleVerdict(VerdictEffect.Pass, Detail: "guest");
        }
        return RuleVerdict.Decide(Outcome.NeedsInfo, ReasonCode.VerificationRequired, detail: context.IdentityLinked ? "not_verified" : "not_linked");
    }
}
