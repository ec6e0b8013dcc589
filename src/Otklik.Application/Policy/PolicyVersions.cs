using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Otklik.Core.Policy;
using Otklik.Data;

namespace Otklik.Application.Policy;

/// <summary>
/// The policy's history in the store: every activation (editor, file, CLI) is a version with who and
/// when. The newest version is the one in force on every node: each node syncs to it on start and on
/// a timer, and a changed policy file is recorded as a new version.
/// </summary>
public sealed class PolicyVersions(OtklikDbContext db, PolicyProvider provider, TimeProvider time)
{
    public sealed record Check(GatePolicy? Policy, IReadOnlyList<(string Field, string Message)> Errors, string Pretty);

    public sealed record DiffLine(char Kind, string Text);

    /// <summary>Validates a candidate document against the schema and the rules' constraints, naming each bad field.</summary>
    public async Task<Check> CheckAsync(string json, CancellationToken ct)
    {
        GatePolicy policy;
        try
        {
            policy = PolicyProvider.Parse(json);
        }
        catch (PolicyInvalidException ex)
        {
            return new Check(null, ex.Errors, json);
        }
        if (await db.PolicyVersions.AnyAsync(v => v.Version == policy.Version, ct))
        {
            return new Check(null, [("version", $"version '{policy.Version}' was already used; give the edited policy a new version")], Pretty(json));
        }
        return new Check(policy, [], Pretty(json));
    }

    /// <summary>Checks and switches the policy on, on this node at once and on the others at their next sync.</summary>
    public async Task<Check> ActivateAsync(string json, string by, string source, CancellationToken ct)
    {
        var check = await CheckAsync(json, ct);
        if (check.Policy is not { } policy)
        {
            return check;
        }
        db.PolicyVersions.Add(new PolicyVersionRecord { Version = policy.Version, Json = check.Pretty, ActivatedBy = by, ActivatedAt = time.GetUtcNow(), Source = source });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return new Check(null, [("version", $"version '{policy.Version}' was just activated by someone else")], check.Pretty);
        }
        provider.Activate(policy, check.Pretty, source);
        return check;
    }

    public Task<List<PolicyVersionRecord>> ListAsync(int take, CancellationToken ct) =>
        db.PolicyVersions.AsNoTracking().OrderByDescending(v => v.Id).Take(take).ToListAsync(ct);

    public Task<PolicyVersionRecord?> FindAsync(string version, CancellationToken ct) =>
        db.PolicyVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Version == version, ct);

    /// <summary>Brings this node to the newest recorded version, or records the one it loaded when that is new.</summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        var active = provider.CurrentActive;
        var latest = await db.PolicyVersions.AsNoTracking().OrderByDescending(v => v.Id).FirstOrDefaultAsync(ct);
        if (latest?.Version == active.Policy.Version)
        {
            return;
        }
        if (!await db.PolicyVersions.AnyAsync(v => v.Version == active.Policy.Version, ct))
        {
            // A new file (or the first start): what this node loaded is the newest version.
            db.PolicyVersions.Add(new PolicyVersionRecord { Version = active.Policy.Version, Json = Pretty(active.Json), ActivatedBy = "system", ActivatedAt = time.GetUtcNow(), Source = active.Source });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // another node recorded it first
            }
            return;
        }
        if (latest is not null)
        {
            provider.Activate(PolicyProvider.Parse(latest.Json), latest.Json, latest.Source);
        }
    }

    /// <summary>One indented form, so that a diff shows what changed and not how it was typed.</summary>
    public static string Pretty(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })?
                .ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? json;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>A line diff (longest common subsequence): ' ' kept, '-' removed, '+' added.</summary>
    public static IReadOnlyList<DiffLine> Diff(string before, string after)
    {
        var a = before.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var b = after.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var lines = new List<DiffLine>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                lines.Add(new DiffLine(' ', a[x++]));
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                lines.Add(new DiffLine('-', a[x++]));
            }
            else
            {
                lines.Add(new DiffLine('+', b[y++]));
            }
        }
        lines.AddRange(a[x..].Select(l => new DiffLine('-', l)));
        lines.AddRange(b[y..].Select(l => new DiffLine('+', l)));
        return lines;
    }
}
