using System.Text;

namespace Otklik.Core.Requesters;

/// <summary>A channel address (phone, Telegram user, VK user, e-mail) linked to a requester.</summary>
public sealed class Identity
{
    public const int MaxFailures = 5;

    public required IdentityKind Kind { get; init; }
    public required string Value { get; init; }
    public string? AccountId { get; set; }
    public bool Verified { get; set; }
    public int FailedConfirmations { get; set; }
    public DateTimeOffset? LastFailedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public void RecordConfirmation(bool success, DateTimeOffset at)
    {
        if (success)
        {
            Verified = true;
            FailedConfirmations = 0;
            LastFailedAt = null;
        }
        else
        {
            FailedConfirmations++;
            LastFailedAt = at;
        }
        UpdatedAt = at;
    }

    public static string NormalizeValue(IdentityKind kind, string value) => kind switch
    {
        IdentityKind.Phone => PhoneNumber.Normalize(value),
        IdentityKind.Email => value.Trim().ToLowerInvariant(),
        _ => value.Trim(),
    };
}
