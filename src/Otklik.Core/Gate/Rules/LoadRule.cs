using Otklik.Core.Appeals;
using Otklik.Core.Tickets;

namespace Otklik.Core.Gate.Rules;

/// <summary>Rule 14: under load, lower classes wait in the deferred queue with an ETA. Never P1.</summary>
public sealed class LoadRule : IGateRule
{
    public string Name => "load";

    public RuleVerdict Evaluate(GateContext context)
    {
        var load = context.Load;
        var priority = context.Priority;
        if (priority == PriorityClass.P1 || !context.Policy.LoadLevels.Defers(load.Level, priority))
        {
            return RuleVerdict.Measured(load.BacklogHours, context.Policy.LoadLevels.ThresholdFor(priority));
        }
        return RuleVerdict.Decide(Outcome.Deferred, ReasonCode.HighLoad, load.BacklogHours, context.Policy.LoadLevels.ThresholdFor(priority), detail: WireName.Of(load.Level));
    }
}
