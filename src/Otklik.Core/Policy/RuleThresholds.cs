namespace Otklik.Core.Policy;

/// <summary>The thresholds of gate rules 2–14 for one role. Defaults are the buyer values of gate.md.</summary>
public sealed record RuleThresholds
{
    /// <summary>Rule 2: appeals from one requester in 24 h above which the requester is held as spam. Default 30.</summary>
    public int SpamMaxAppealsPerDay { get; init; } = 30;

    /// <summary>Rule 2: distinct requesters sending the same normalised text that make a spam wave. Default 5.</summary>
    public int SpamWaveRequesters { get; init; } = 5;

    /// <summary>Rule 2: the window of a spam wave, minutes. Default 60.</summary>
    public int SpamWaveWindowMinutes { get; init; } = 60;

    /// <summary>Rule 3: failed confirmations that lock an identity. Default 5.</summary>
    public int VerificationMaxFailures { get; init; } = 5;

    /// <summary>Rule 3: how long the lock lasts, minutes. Default 60.</summary>
    public int VerificationLockMinutes { get; init; } = 60;

    /// <summary>Rule 4: days without activity after which an account must re-confirm. Default 365.</summary>
    public int InactiveDays { get; init; } = 365;

    /// <summary>Rule 5: an account younger than this many days with no orders is new. Default 3.</summary>
    public int NewAccountDays { get; init; } = 3;

    /// <summary>Rule 6: fewest letters in a text that is not too vague. Default 15.</summary>
    public int MinLetters { get; init; } = 15;

    /// <summary>Rule 11: Jaccard similarity of stems at which two texts are near-duplicates. Default 0.6.</summary>
    public double NearDuplicateSimilarity { get; init; } = 0.6;

    /// <summary>Rule 12: a ticket solved at most this many days ago is reopened. Default 30.</summary>
    public int RepeatWindowDays { get; init; } = 30;

    /// <summary>Rule 13: new tickets a requester may open at once. Default 3.</summary>
    public int RateBurst { get; init; } = 3;

    /// <summary>Rule 13: tokens refilled per 24 h. Default 10.</summary>
    public double RateRefillPerDay { get; init; } = 10;

    public IEnumerable<(string Field, string Message)> Validate(string prefix)
    {
        if (SpamMaxAppealsPerDay < 1) yield return ($"{prefix}.spam_max_appeals_per_day", "must be at least 1");
        if (SpamWaveRequesters < 2) yield return ($"{prefix}.spam_wave_requesters", "must be at least 2");
        if (SpamWaveWindowMinutes < 1) yield return ($"{prefix}.spam_wave_window_minutes", "must be at least 1");
        if (VerificationMaxFailures < 1) yield return ($"{prefix}.verification_max_failures", "must be at least 1");
        if (VerificationLockMinutes < 1) yield return ($"{prefix}.verification_lock_minutes", "must be at least 1");
        if (InactiveDays < 1) yield return ($"{prefix}.inactive_days", "must be at least 1");
        if (NewAccountDays < 0) yield return ($"{prefix}.new_account_days", "must not be negative");
        if (MinLetters < 0 || MinLetters > 1000) yield return ($"{prefix}.min_letters", "must be between 0 and 1000");
        if (NearDuplicateSimilarity is <= 0 or > 1) yield return ($"{prefix}.near_duplicate_similarity", "must be in (0, 1]");
        if (RepeatWindowDays < 0) yield return ($"{prefix}.repeat_window_days", "must not be negative");
        if (RateBurst < 1) yield return ($"{prefix}.rate_burst", "must be at least 1");
        if (RateRefillPerDay <= 0) yield return ($"{prefix}.rate_refill_per_day", "must be positive");
    }
}
