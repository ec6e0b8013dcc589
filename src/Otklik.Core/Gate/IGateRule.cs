namespace Otklik.Core.Gate;

/// <summary>One admission rule. Pure: reads the context snapshot, returns a verdict, touches nothing.</summary>
public interface IGateRule
{
    /// <summary>The rule's name in the trace, e.g. <c>spam_protection</c>.</summary>
    string Name { get; }

    RuleVerdict Evaluate(GateContext context);
}
