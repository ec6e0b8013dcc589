using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Otklik.Application.Portal;

/// <summary>
/// One-time login codes by phone: 6 digits, valid 5 minutes, 5 attempts, at most 3 codes per phone
/// in 10 minutes. Codes are kept hashed. In process: a multi-node portal needs sticky sessions for
/// the login step (noted in the README).
/// </summary>
public sealed class OneTimeCodes(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan IssueWindow = TimeSpan.FromMinutes(10);
    public const int MaxAttempts = 5;
    public const int MaxIssuesPerWindow = 3;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public byte[] CodeHash = [];
        public DateTimeOffset ExpiresAt;
        public int Attempts;
        public List<DateTimeOffset> Issued = [];
    }

    public enum IssueResult
    {
        Issued,
        TooMany,
    }

    public enum CheckResult
    {
        Valid,
        Wrong,
        Expired,
        Locked,
    }

    public (IssueResult Result, string? Code, TimeSpan? RetryAfter) Issue(string phone)
    {
        var now = time.GetUtcNow();
        var entry = _entries.GetOrAdd(phone, _ => new Entry());
        lock (entry)
        {
            entry.Issued.RemoveAll(t => now - t > IssueWindow);
            if (entry.Issued.Count >= MaxIssuesPerWindow)
            {
                return (IssueResult.TooMany, null, entry.Issued[0] + IssueWindow - now);
            }
            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            entry.CodeHash = Hash(phone, code);
            entry.ExpiresAt = now + Lifetime;
            entry.Attempts = 0;
            entry.Issued.Add(now);
            return (IssueResult.Issued, code, null);
        }
    }

    public CheckResult Check(string phone, string code)
    {
        if (!_entries.TryGetValue(phone, out var entry))
        {
            return CheckResult.Expired;
        }
        lock (entry)
        {
            if (entry.CodeHash.Length == 0 || time.GetUtcNow() > entry.ExpiresAt)
            {
                return CheckResult.Expired;
            }
            if (entry.Attempts >= MaxAttempts)
            {
                return CheckResult.Locked;
            }
            entry.Attempts++;
            if (!CryptographicOperations.FixedTimeEquals(entry.CodeHash, Hash(phone, code.Trim())))
            {
                return entry.Attempts >= MaxAttempts ? CheckResult.Locked : CheckResult.Wrong;
            }
            entry.CodeHash = [];
            return CheckResult.Valid;
        }
    }

    private static byte[] Hash(string phone, string code) => SHA256.HashData(Encoding.UTF8.GetBytes(phone + ":" + code));
}
