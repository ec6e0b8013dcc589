namespace Otklik.Core.Appeals;

public enum Outcome
{
    Accepted,
    Merged,
    Reopened,
    Deferred,
    NeedsInfo,
    Rejected,
}

public static class OutcomeExtensions
{
    /// <summary>Held appeals stay visible in the review queue and may be overridden by an agent.</summary>
    public static bool IsHeld(this Outcome outcome) => outcome is Outcome.NeedsInfo or Outcome.Rejected;
}
