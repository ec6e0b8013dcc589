namespace Otklik.Data;

/// <summary>An API key as the store keeps it: its SHA-256 hash only, never the key itself.</summary>
public sealed class ApiKeyRecord
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public required string Role { get; init; }

    /// <summary>Hex SHA-256 of the key. Keys are 24 random bytes, so a plain hash is enough (no guessing a password).</summary>
    public required string Hash { get; init; }

    /// <summary>The key's first characters, to tell keys apart in listings and logs.</summary>
    public required string Prefix { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }

    /// <summary>From this moment the key no longer works (a rotation may leave the old key a grace period).</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
