using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Otklik.Data;

namespace Otklik.Application.Access;

/// <summary>
/// API keys in the store, hashed: created (the key is shown once), rotated (a new key, the old one
/// revoked after a grace period), revoked, listed. Every node reads the active hashes.
/// </summary>
public sealed class ApiKeys(OtklikDbContext db, TimeProvider time)
{
    public static readonly string[] Roles = ["integration", "agent", "supervisor"];

    public sealed record Created(string Name, string Role, string Key, string Prefix);

    public static string NewKey(string role) => "ok_" + role[..3] + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string PrefixOf(string key) => key.Length <= 10 ? key : key[..10];

    public async Task<Created> CreateAsync(string name, string role, string by, CancellationToken ct)
    {
        if (!Roles.Contains(role))
        {
            throw new ArgumentException($"The role must be one of {string.Join(", ", Roles)}.", nameof(role));
        }
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("A name of 1–100 characters is required.", nameof(name));
        }
        var key = NewKey(role);
        await AddAsync(name, role, key, by, ct);
        return new Created(name, role, key, PrefixOf(key));
    }

    /// <summary>Stores the hash of a key that was made elsewhere (the demo's key file, an earlier version's file); false when it is already there.</summary>
    public async Task<bool> ImportAsync(string name, string role, string key, string by, CancellationToken ct)
    {
        var hash = Hash(key);
        if (await db.ApiKeys.AnyAsync(k => k.Hash == hash, ct))
        {
            return false;
        }
        await AddAsync(name, role, key, by, ct);
        return true;
    }

    /// <summary>A new key for <paramref name="name"/>; its current keys stop working after <paramref name="grace"/>.</summary>
    public async Task<Created?> RotateAsync(string name, TimeSpan grace, string by, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var current = await db.ApiKeys.Where(k => k.Name == name && (k.RevokedAt == null || k.RevokedAt > now)).ToListAsync(ct);
        if (current.Count == 0)
        {
            return null;
        }
        foreach (var k in current)
        {
            k.RevokedAt = k.RevokedAt is { } at && at < now + grace ? at : now + grace;
        }
        var key = NewKey(current[0].Role);
        db.ApiKeys.Add(Record(name, current[0].Role, key, by, now));
        await db.SaveChangesAsync(ct);
        return new Created(name, current[0].Role, key, PrefixOf(key));
    }

    public async Task<int> RevokeAsync(string nameOrPrefix, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.ApiKeys.Where(k => (k.Name == nameOrPrefix || k.Prefix == nameOrPrefix) && (k.RevokedAt == null || k.RevokedAt > now))
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.RevokedAt, now), ct);
    }

    public Task<List<ApiKeyRecord>> ListAsync(CancellationToken ct) => db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ThenBy(k => k.Id).ToListAsync(ct);

    /// <summary>Keys that work now or will stop only later (a grace period).</summary>
    public Task<List<ApiKeyRecord>> ActiveAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return db.ApiKeys.AsNoTracking().Where(k => k.RevokedAt == null || k.RevokedAt > now).ToListAsync(ct);
    }

    private async Task AddAsync(string name, string role, string key, string by, CancellationToken ct)
    {
        db.ApiKeys.Add(Record(name, role, key, by, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
    }

    private static ApiKeyRecord Record(string name, string role, string key, string by, DateTimeOffset at) =>
        new() { Name = name, Role = role, Hash = Hash(key), Prefix = PrefixOf(key), CreatedAt = at, CreatedBy = by };
}
