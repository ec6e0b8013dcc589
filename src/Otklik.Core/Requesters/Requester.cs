namespace Otklik.Core.Requesters;

/// <summary>A marketplace account (buyer or seller) as the marketplace reported it.</summary>
public sealed class Requester
{
    public const int MaxIdLength = 64;
    public const int MaxNameLength = 200;

    public required string AccountId { get; init; }
    public RequesterRole Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastActiveAt { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public bool PhoneVerified { get; set; }
    public string? Email { get; set; }
    public bool EmailVerified { get; set; }
    public bool Blocked { get; set; }

    /// <summary>Set by the spam rule: a human looks at the requester; never an automatic ban.</summary>
    public bool FlaggedForReview { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset LastActivity => LastActiveAt ?? CreatedAt;

    /// <summary>Confirming an identity counts as activity (gate rule 4).</summary>
    public void MarkActive(DateTimeOffset at)
    {
        if (LastActiveAt is null || LastActiveAt < at)
        {
            LastActiveAt = at;
        }
    }
}
