using Otklik.Core.Appeals;

namespace Otklik.Core.Gate.Rules;

/// <summary>Rule 10: damage, a wrong item or a defect needs a photo or video attached.</summary>
public sealed class EvidenceRule : IGateRule
{
    public string Name => "evidence";

    public RuleVerdict Evaluate(GateContext context)
    {
        if (!context.ProblemType.Evidence)
        {
            return RuleVerdict.NotApplicable;
        }
        var count = 0;
        foreach (var a in context.Request.Attachments)
        {
            if (a.IsVisualEvidence)
            {
                count++;
            }
        }
        return count == 0 ? RuleVerdict.Decide(Outcome.NeedsInfo, ReasonCode.EvidenceRequired, 0, 1) : RuleVerdict.Measured(count, 1);
    }
}
