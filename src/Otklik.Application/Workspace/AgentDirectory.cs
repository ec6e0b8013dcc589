using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Otklik.Data;

namespace Otklik.Application.Workspace;

/// <summary>Agent and supervisor accounts of the workspace; passwords kept as PBKDF2-SHA256 hashes.</summary>
public sealed class AgentDirectory(OtklikDbContext db, TimeProvider time)
{
    private const int Iterations = 100_000;
    public static readonly string[] Roles = ["agent", "supervisor"];

    public async Task<bool> CreateAsync(string name, string displayName, string password, string role, CancellationToken ct)
    {
        if (await db.Agents.AnyAsync(a => a.Name == name, ct))
        {
            return false;
        }
        db.Agents.Add(new AgentAccount { Name = name, DisplayName = displayName, Role = role, PasswordHash = Hash(password), CreatedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<AgentAccount?> VerifyAsync(string name, string password, CancellationToken ct)
    {
        var agent = await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Name == name, ct);
        return agent is not null && Verify(password, agent.PasswordHash) ? agent : null;
    }

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations))
        {
            return false;
        }
        var salt = Convert.FromBase64String(parts[2]);
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
