using Otklik.Core.Appeals;
using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Core.Policy;

/// <summary>
/// The whole gate policy: thresholds per role, the problem-type catalog, load levels, legal terms,
/// the marketplace profile and the customer texts. Versioned; every decision records the version.
/// </summary>
public sealed record GatePolicy
{
    private (IReadOnlyList<ProblemTypeDefinition> Source, Dictionary<string, ProblemTypeDefinition> Index)? _catalogIndex;

    public required string Version { get; init; }

    public RuleThresholds Buyer { get; init; } = new();

    public RuleThresholds Seller { get; init; } = new();

    public IReadOnlyList<ProblemTypeDefinition> Catalog { get; init; } = [];

    public LoadLevelPolicy LoadLevels { get; init; } = new();

    public MarketplaceProfile Profile { get; init; } = new();

    public IReadOnlyList<LegalTerm> LegalTerms { get; init; } = [];

    /// <summary>Resolution target in business days when the type names none. Default 5.</summary>
    public int DefaultResolutionDays { get; init; } = 5;

    /// <summary>Resolution target for P1 tickets. Default 3.</summary>
    public int P1ResolutionDays { get; init; } = 3;

    /// <summary>A reopened ticket's fresh first-response target. Default 1.</summary>
    public int ReopenFirstResponseDays { get; init; } = 1;

    /// <summary>Demands that make an appeal P1 when its type has a legal basis.</summary>
    public IReadOnlyList<Demand> UrgentDemands { get; init; } = [Demand.Refund, Demand.Replacement, Demand.Repair];

    /// <summary>Canned replies for agents; <c>{customer_name}</c>, <c>{ticket}</c>, <c>{order}</c>, <c>{due}</c> are filled per ticket.</summary>
    public IReadOnlyList<Macro> Macros { get; init; } = [];

    /// <summary>Texts by language code ("ru", "en").</summary>
    public IReadOnlyDictionary<string, LanguageTexts> Texts { get; init; } = new Dictionary<string, LanguageTexts>();

    public RuleThresholds ThresholdsFor(RequesterRole role) => role == RequesterRole.Seller ? Seller : Buyer;

    public ProblemTypeDefinition? FindProblemType(string code)
    {
        // Keyed on the list itself so that a copy made with `with { Catalog = … }` never reads a stale index.
        if (_catalogIndex is not { } index || !ReferenceEquals(index.Source, Catalog))
        {
            index = (Catalog, Catalog.GroupBy(c => c.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));
            _catalogIndex = index;
        }
        return index.Index.GetValueOrDefault(code);
    }

    public LegalTerm? FindLegalTerm(Demand demand, string problemType) =>
        LegalTerms.FirstOrDefault(t => t.Demand == demand && t.ProblemTypes.Contains(problemType))
        ?? LegalTerms.FirstOrDefault(t => t.Demand == demand && t.ProblemTypes.Count == 0);

    public int ResolutionDaysFor(ProblemTypeDefinition type, PriorityClass priority) =>
        type.ResolutionDays ?? (priority == PriorityClass.P1 ? P1ResolutionDays : DefaultResolutionDays);

    /// <summary>Every problem in the policy, field by field; empty when it may be activated.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate()
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(Version) || Version.Length > 64)
        {
            errors.Add(("version", "is required, at most 64 characters"));
        }
        errors.AddRange(Buyer.Validate("buyer"));
        errors.AddRange(Seller.Validate("seller"));
        errors.AddRange(LoadLevels.Validate());
        if (Catalog.Count == 0)
        {
            errors.Add(("catalog", "must list at least one problem type"));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Catalog.Count; i++)
        {
            var t = Catalog[i];
            var f = $"catalog[{i}]";
            if (string.IsNullOrWhiteSpace(t.Code) || t.Code.Length > ProblemTypeDefinition.MaxCodeLength || !t.Code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                errors.Add(($"{f}.code", "must be snake_case, at most 64 characters"));
            }
            else if (!seen.Add(t.Code))
            {
                errors.Add(($"{f}.code", $"'{t.Code}' appears twice"));
            }
            if (t.Roles.Count == 0)
            {
                errors.Add(($"{f}.roles", "must name at least one role"));
            }
            if (t.FirstResponseDays is < 1 or > 30)
            {
                errors.Add(($"{f}.first_response_days", "must be between 1 and 30"));
            }
            if (t.ResolutionDays is < 1 or > 90)
            {
                errors.Add(($"{f}.resolution_days", "must be between 1 and 90"));
            }
            if (!t.NeedsOrder && t.OrderWindow is not null && t.OrderWindow.Statuses.Count > 0)
            {
                // An order window without a required order is allowed: it applies when one is given.
            }
        }
        if (!seen.Contains("other"))
        {
            errors.Add(("catalog", "must contain 'other', the type unclassified free text falls back to"));
        }
        if (DefaultResolutionDays is < 1 or > 90) errors.Add(("default_resolution_days", "must be between 1 and 90"));
        if (P1ResolutionDays is < 1 or > 90) errors.Add(("p1_resolution_days", "must be between 1 and 90"));
        if (ReopenFirstResponseDays is < 1 or > 30) errors.Add(("reopen_first_response_days", "must be between 1 and 30"));
        for (var i = 0; i < LegalTerms.Count; i++)
        {
            if (LegalTerms[i].Days is < 1 or > 365) errors.Add(($"legal_terms[{i}].days", "must be between 1 and 365"));
            if (LegalTerms[i].PenaltyPercentPerDay is < 0 or > 100) errors.Add(($"legal_terms[{i}].penalty_percent_per_day", "must be between 0 and 100"));
        }
        if (!Texts.ContainsKey("ru")) errors.Add(("texts.ru", "Russian texts are required"));
        foreach (var (lang, texts) in Texts)
        {
            foreach (var code in Enum.GetValues<ReasonCode>())
            {
                if (!texts.Reasons.ContainsKey(WireName.Of(code))) errors.Add(($"texts.{lang}.reasons.{WireName.Of(code)}", "is missing"));
            }
            foreach (var action in Enum.GetValues<RemediationAction>())
            {
                if (!texts.Remediation.ContainsKey(WireName.Of(action))) errors.Add(($"texts.{lang}.remediation.{WireName.Of(action)}", "is missing"));
            }
        }
        if (string.IsNullOrWhiteSpace(Profile.BuyerHotline)) errors.Add(("profile.buyer_hotline", "is required"));
        if (string.IsNullOrWhiteSpace(Profile.SellerHotline)) errors.Add(("profile.seller_hotline", "is required"));
        return errors;
    }
}
