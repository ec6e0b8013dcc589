using Otklik.Core.Appeals;

namespace Otklik.Core.Gate.Rules;

/// <summary>
/// Rule 6: too few letters, no words, or one letter typed over and over → ask what happened, when,
/// and what outcome is wanted.
/// </summary>
public sealed class ContentRule : IGateRule
{
    public string Name => "content";

    public RuleVerdict Evaluate(GateContext context)
    {
        var text = context.Text;
        var min = context.Thresholds.MinLetters;
        var vague = text.LetterCount < min || text.WordCount == 0 || (min > 0 && text.DistinctLetters < 3);
        return vague
            ? RuleVerdict.Decide(Outcome.NeedsInfo, ReasonCode.TooVague, text.LetterCount, min)
            : RuleVerdict.Measured(text.LetterCount, min);
    }
}
