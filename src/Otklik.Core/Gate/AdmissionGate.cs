using Otklik.Core.Gate.Rules;

namespace Otklik.Core.Gate;

/// <summary>
/// Runs the rules in spec order. The first rule that decides ends the pipeline; every rule is
/// still evaluated so the trace shows what each one would have said.
/// </summary>
public sealed class AdmissionGate
{
    private readonly IGateRule[] _rules;

    public AdmissionGate(IEnumerable<IGateRule> rules)
    {
        _rules = [.. rules];
        if (_rules.Length == 0)
        {
            throw new ArgumentException("The gate needs at least one rule.", nameof(rules));
        }
    }

    public IReadOnlyList<IGateRule> Rules => _rules;

    /// <summary>The fourteen rules of gate.md, in order.</summary>
    public static AdmissionGate CreateDefault() => new(
    [
        new BlocklistRule(),
        new SpamRule(),
        new IdentityVerificationRule(),
        new InactiveAccountRule(),
        new NewAccountRule(),
        new ContentRule(),
        new OrderRequiredRule(),
        new OrderCheckRule(),
        new DataMismatchRule(),
        new EvidenceRule(),
        new DuplicateOpenRule(),
        new RepeatOfResolvedRule(),
        new RateLimitRule(),
        new LoadRule(),
    ]);

    public GateResult Evaluate(GateContext context)
    {
        var verdicts = new RuleVerdict[_rules.Length];
        var decidedBy = -1;
        for (var i = 0; i < _rules.Length; i++)
        {
            verdicts[i] = _rules[i].Evaluate(context);
            if (decidedBy < 0 && verdicts[i].Effect == VerdictEffect.Decide)
            {
                decidedBy = i;
            }
        }
        return new GateResult(_rules, verdicts, decidedBy, context.Priority);
    }
}
