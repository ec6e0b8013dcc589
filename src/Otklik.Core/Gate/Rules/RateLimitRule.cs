using Otklik.Core.Appeals;

namespace Otklik.Core.Gate.Rules;

/// <summary>
/// Rule 13: a token bucket of new tickets per requester across all channels (burst 3, 10 per 24 h).
/// Runs after rules 11–12 on purpose: writing again about the same problem merges and costs nothing.
/// </summary>
public sealed class RateLimitRule : IGateRule
{
    public string Name => "rate_limit";

    public RuleVerdict Evaluate(GateContext context)
    {
        var t = context.Thresholds;
        var tokens = Tokens(context.RateTokens, context.RateUpdatedAt, context.Now, t.RateBurst, t.RateRefillPerDay);
        // A tolerance: floating-point refill must not leave a customer a hair short of a token.
        if (tokens >= 1 - 1e-9)
        {
            return RuleVerdict.Measured(tokens, 1);
        }
        var perSecond = t.RateRefillPerDay / 86_400.0;
        var retry = TimeSpan.FromSeconds(Math.Ceiling((1 - tokens) / perSecond));
        return RuleVerdict.Decide(Outcome.Rejected, ReasonCode.RateLimited, tokens, 1, retryAfter: retry);
    }

    /// <summary>The bucket as of <paramref name="now"/>: full for a first-time requester, refilled since the last take.</summary>
    public static double Tokens(double stored, DateTimeOffset? updatedAt, DateTimeOffset now, int burst, double refillPerDay)
    {
        if (double.IsNaN(stored) || updatedAt is null)
        {
            return burst;
        }
        var elapsed = Math.Max(0, (now - updatedAt.Value).TotalSeconds);
        return Math.Min(burst, stored + elapsed * refillPerDay / 86_400.0);
    }
}
