using Otklik.Core.Appeals;

namespace Otklik.Core.Policy;

/// <summary>A statutory term for a consumer demand (Law № 2300-1), in calendar days.</summary>
public sealed record LegalTerm
{
    public required Demand Demand { get; init; }

    /// <summary>Problem types the row applies to; empty means any type with a legal basis.</summary>
    public IReadOnlyList<string> ProblemTypes { get; init; } = [];

    public required string Article { get; init; }
    public int Days { get; init; }

    /// <summary>Penalty per day after the deadline, percent of the price (art. 23: 1; art. 23.1: 0.5); 0 for none.</summary>
    public decimal PenaltyPercentPerDay { get; init; }
}
