using Otklik.Core.Appeals;

namespace Otklik.Core.Gate.Rules;

/// <summary>
/// Rule 2: too many appeals from one requester in 24 h, or the same text from many requesters within
/// the wave window. One requester repeating their own text is not spam: rule 11 merges it.
/// </summary>
public sealed class SpamRule : IGateRule
{
    public string Name => "spam_protection";

    public RuleVerdict Evaluate(GateContext context)
    {
        var t = context.Thresholds;
        if (context.AppealsLastDay >= t.SpamMaxAppealsPerDay)
        {
            var retry = context.OldestAppealLastDay is { } oldest ? oldest.AddDays(1) - context.Now : TimeSpan.FromDays(1);
            return RuleVerdict.Decide(Outcome.Rejected, ReasonCode.SpamSuspected, context.AppealsLastDay + 1, t.SpamMaxAppealsPerDay, "requester_volume", retryAfter: Positive(retry));
        }
        if (context.Text.Fingerprint != 0 && context.SameTextRequesters + 1 >= t.SpamWaveRequesters)
        {
            return RuleVerdict.Decide(Outcome.Rejected, ReasonCode.SpamSuspected, context.SameTextRequesters + 1, t.SpamWaveRequesters, "spam_wave", retryAfter: TimeSpan.FromMinutes(t.SpamWaveWindowMinutes));
        }
        return RuleVerdict.Measured(context.AppealsLastDay + 1, t.SpamMaxAppealsPerDay);
    }

    private static TimeSpan Positive(TimeSpan value) => value < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : value;
}
