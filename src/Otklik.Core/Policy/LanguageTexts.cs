namespace Otklik.Core.Policy;

/// <summary>Customer-facing texts of one language; <c>{placeholders}</c> are filled from the decision.</summary>
public sealed record LanguageTexts
{
    public IReadOnlyDictionary<string, string> Reasons { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Remediation { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Alternatives { get; init; } = new Dictionary<string, string>();

    /// <summary>What the customer is told when the escalation ladder moves: <c>first_response_breached</c>, <c>systematically_unanswered</c>.</summary>
    public IReadOnlyDictionary<string, string> Notices { get; init; } = new Dictionary<string, string>();
}
