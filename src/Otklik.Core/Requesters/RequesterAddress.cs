namespace Otklik.Core.Requesters;

/// <summary>How an appeal names its requester: an account id, or one channel identity.</summary>
public readonly record struct RequesterAddress(IdentityKind? Kind, string Value)
{
    public const int MaxValueLength = 255;

    public static RequesterAddress ForAccount(string accountId) => new(null, accountId);

    public static RequesterAddress ForIdentity(IdentityKind kind, string value) => new(kind, Identity.NormalizeValue(kind, value));

    public bool IsAccount => Kind is null;

    /// <summary>Stable key used for limits and history when the requester has no account.</summary>
    public string Key => Kind switch
    {
        null => "account:" + Value,
        IdentityKind.Phone => "phone:" + Value,
        IdentityKind.Telegram => "telegram:" + Value,
        IdentityKind.Vk => "vk:" + Value,
        IdentityKind.Email => "email:" + Value,
        _ => throw new InvalidOperationException("Unknown identity kind."),
    };
}
