using Otklik.Core.Appeals;
using Otklik.Core.Tickets;

namespace Otklik.Core.Gate;

/// <summary>The gate's verdict on one appeal, with every rule's verdict in spec order.</summary>
public sealed class GateResult(IReadOnlyList<IGateRule> rules, RuleVerdict[] verdicts, int decidedBy, PriorityClass priority)
{
    public IReadOnlyList<IGateRule> Rules { get; } = rules;

    public RuleVerdict[] Verdicts { get; } = verdicts;

    /// <summary>Index of the rule that decided, or -1 when the appeal passed every rule.</summary>
    public int DecidedBy { get; } = decidedBy;

    public PriorityClass Priority { get; } = priority;

    public Outcome Outcome => DecidedBy < 0 ? Outcome.Accepted : Verdicts[DecidedBy].Outcome;

    public RuleVerdict? Decision => DecidedBy < 0 ? null : Verdicts[DecidedBy];

    public string? DecidingRule => DecidedBy < 0 ? null : Rules[DecidedBy].Name;

    /// <summary>The notes of rules before the decision, then the deciding reason.</summary>
    public IEnumerable<RuleVerdict> ReasonVerdicts
    {
        get
        {
            var end = DecidedBy < 0 ? Verdicts.Length : DecidedBy;
            for (var i = 0; i < end; i++)
            {
                if (Verdicts[i].Effect == VerdictEffect.Note && Verdicts[i].Reason is not null)
                {
                    yield return Verdicts[i];
                }
            }
            if (DecidedBy >= 0)
            {
                yield return Verdicts[DecidedBy];
            }
        }
    }

    /// <summary>For an accepted appeal that repeats a closed or long-solved ticket: the ticket it follows up.</summary>
    public TicketFacts? FollowUpOf
    {
        get
        {
            var end = DecidedBy < 0 ? Verdicts.Length : DecidedBy;
            for (var i = 0; i < end; i++)
            {
                if (Verdicts[i].Effect == VerdictEffect.Note && Verdicts[i].Ticket is { } t)
                {
                    return t;
                }
            }
            return null;
        }
    }
}
