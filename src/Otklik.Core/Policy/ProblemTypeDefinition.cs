using Otklik.Core.Requesters;
using Otklik.Core.Tickets;

namespace Otklik.Core.Policy;

/// <summary>A catalog entry: decides order, evidence and SLA rules for the appeals that pick it.</summary>
public sealed record ProblemTypeDefinition
{
    public const int MaxCodeLength = 64;

    public required string Code { get; init; }

    /// <summary>Roles that may pick it.</summary>
    public IReadOnlyList<RequesterRole> Roles { get; init; } = [RequesterRole.Buyer];

    public bool NeedsOrder { get; init; }

    /// <summary>Order statuses and ages the type accepts; null means any order.</summary>
    public OrderWindow? OrderWindow { get; init; }

    /// <summary>A photo or video must be attached (damage, wrong item, defect).</summary>
    public bool Evidence { get; init; }

    /// <summary>Requesters without a verified account (guests) may still ask this (pre-purchase questions).</summary>
    public bool GuestsAllowed { get; init; }

    public PriorityClass Priority { get; init; } = PriorityClass.P3;

    /// <summary>First response target in business days (1–3).</summary>
    public int FirstResponseDays { get; init; } = 3;

    /// <summary>Resolution target in business days; null takes the policy default (5, P1: 3).</summary>
    public int? ResolutionDays { get; init; }

    /// <summary>Article of the consumer-protection law; types with one can carry a legal demand.</summary>
    public string? LegalBasis { get; init; }

    /// <summary>Customer-facing titles by language.</summary>
    public IReadOnlyDictionary<string, string> Title { get; init; } = new Dictionary<string, string>();
}
