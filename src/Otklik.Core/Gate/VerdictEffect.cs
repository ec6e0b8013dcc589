namespace Otklik.Core.Gate;

public enum VerdictEffect
{
    /// <summary>The rule has nothing against the appeal.</summary>
    Pass,

    /// <summary>The rule decides the outcome and ends the pipeline.</summary>
    Decide,

    /// <summary>The rule lets the appeal through but adds a reason or changes the ticket (account_new, follow-up).</summary>
    Note,

    /// <summary>The rule does not apply to this appeal (e.g. no account to check).</summary>
    NotApplicable,
}
