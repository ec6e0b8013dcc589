namespace Otklik.Core.Appeals;

/// <summary>What the customer typed about themselves; compared with the account, never echoed back.</summary>
public sealed record ClaimedData(string? Name, string? Phone, string? Email)
{
    public static readonly ClaimedData None = new(null, null, null);
}
