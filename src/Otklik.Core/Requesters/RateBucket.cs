namespace Otklik.Core.Requesters;

/// <summary>
/// Rule 13's token bucket for one requester (account or guest address), saved in the same
/// transaction as the ticket it paid for, so the quota stays exact.
/// </summary>
public sealed class RateBucket
{
    public required string RequesterKey { get; init; }
    public double Tokens { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static RateBucket Full(string requesterKey, int burst, DateTimeOffset at) => new() { RequesterKey = requesterKey, Tokens = burst, UpdatedAt = at };

    /// <summary>The bucket as it was read, to be spent and saved only if it still is.</summary>
    public static RateBucket Restore(string requesterKey, double tokens, DateTimeOffset updatedAt) => new() { RequesterKey = requesterKey, Tokens = tokens, UpdatedAt = updatedAt };

    /// <summary>Refills to <paramref name="now"/> and takes one token.</summary>
    public void Take(DateTimeOffset now, int burst, double refillPerDay)
    {
        Tokens = Gate.Rules.RateLimitRule.Tokens(Tokens, UpdatedAt, now, burst, refillPerDay) - 1;
        UpdatedAt = now;
    }
}
