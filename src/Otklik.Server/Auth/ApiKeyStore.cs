using System.Text;
using System.Text.Json;
using Otklik.Application.Access;
using Otklik.Server.Hosting;

namespace Otklik.Server.Auth;

/// <summary>
/// Which API keys work, by SHA-256 hash: keys from configuration (<c>Auth:ApiKeys</c>, with <c>Key</c> or
/// <c>KeyHash</c>), and keys in the store (created and rotated with the <c>otklik</c> CLI), refreshed
/// every few seconds so a rotation or revocation reaches every node. No key is kept in plain text,
/// except the demo's <c>api-keys.json</c> (owner-readable only), which exists to be shown.
/// </summary>
public sealed partial class ApiKeyStore
{
    public const string FileName = "api-keys.json";

    private readonly Dictionary<string, Entry> _configured = new(StringComparer.Ordinal);
    private readonly ServerPaths _paths;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiKeyStore> _logger;
    private volatile Dictionary<string, Entry> _stored = new(StringComparer.Ordinal);

    public sealed record ApiKey(string Name, string Key, string Role);

    public sealed record ApiClient(string Name, string Role);

    private sealed record Entry(ApiClient Client, DateTimeOffset? RevokedAt);

    public ApiKeyStore(IConfiguration configuration, ServerPaths paths, TimeProvider time, ILogger<ApiKeyStore> logger)
    {
        _paths = paths;
        _time = time;
        _logger = logger;
        foreach (var c in configuration.GetSection("Auth:ApiKeys").GetChildren())
        {
            var name = c["Name"] ?? c["name"] ?? "";
            var role = c["Role"] ?? c["role"] ?? "";
            var key = c["Key"] ?? c["key"];
            var hash = (c["KeyHash"] ?? c["key_hash"])?.ToLowerInvariant();
            if (string.IsNullOrWhiteSpace(name) || !Roles.All.Contains(role)
                || (key is null ? hash is not { Length: 64 } || !hash.All(char.IsAsciiHexDigit) : key.Length < 16))
            {
                throw new InvalidOperationException($"Auth:ApiKeys entry '{name}' is invalid: a name, a role ({string.Join(", ", Roles.All)}) and a Key of at least 16 characters or a KeyHash (hex SHA-256) are required.");
            }
            _configured[hash ?? ApiKeys.Hash(key!)] = new Entry(new ApiClient(name, role), null);
        }
        Source = _configured.Count > 0 ? "configuration" : "store";
    }

    /// <summary>Keys whose plain text this node may show (the demo banner): the demo key file, or keys it just generated.</summary>
    public IReadOnlyList<ApiKey> ShownKeys { get; private set; } = [];

    public string Source { get; private set; }

    public ApiClient? Find(string presentedKey)
    {
        var hash = ApiKeys.Hash(presentedKey);
        if (!_configured.TryGetValue(hash, out var entry) && !_stored.TryGetValue(hash, out entry))
        {
            return null;
        }
        return entry.RevokedAt is { } revoked && revoked <= _time.GetUtcNow() ? null : entry.Client;
    }

    public async Task RefreshAsync(ApiKeys keys, CancellationToken ct)
    {
        var active = await keys.ActiveAsync(ct);
        _stored = active.ToDictionary(k => k.Hash, k => new Entry(new ApiClient(k.Name, k.Role), k.RevokedAt), StringComparer.Ordinal);
    }

    /// <summary>
    /// On start: with no configured keys and none in the store, one key per role is made. A demo keeps
    /// them in its key file to show them; otherwise they are printed once and only their hashes are kept.
    /// </summary>
    public async Task BootstrapAsync(ApiKeys keys, bool demo, TextWriter console, CancellationToken ct)
    {
        if (_configured.Count == 0)
        {
            var file = Path.Combine(_paths.DataDirectory, FileName);
            if (File.Exists(file))
            {
                var fromFile = Read(file);
                foreach (var k in fromFile)
                {
                    await keys.ImportAsync(k.Name, k.Role, k.Key, "key-file", ct);
                }
                ShownKeys = fromFile;
                Source = file;
                if (!demo)
                {
                    LogPlainFile(_logger, file);
                }
            }
            else if ((await keys.ActiveAsync(ct)).Count == 0)
            {
                var generated = Roles.All.Select(role => new ApiKey($"{role}-default", ApiKeys.NewKey(role), role)).ToList();
                foreach (var k in generated)
                {
                    await keys.ImportAsync(k.Name, k.Role, k.Key, "first-start", ct);
                }
                ShownKeys = generated;
                if (demo)
                {
                    Write(file, generated);
                    Source = file;
                }
                else
                {
                    console.WriteLine("Generated API keys — shown this once, kept only as hashes (rotate with `otklik keys rotate --name <name>`):");
                    foreach (var k in generated)
                    {
                        console.WriteLine($"  {k.Role,-12} {k.Key}");
                    }
                }
            }
        }
        await RefreshAsync(keys, ct);
    }

    private static List<ApiKey> Read(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return [.. doc.RootElement.GetProperty("keys").EnumerateArray().Select(e => new ApiKey(e.GetProperty("name").GetString()!, e.GetProperty("key").GetString()!, e.GetProperty("role").GetString()!))];
    }

    private static void Write(string file, List<ApiKey> keys)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var json = JsonSerializer.Serialize(new { keys = keys.Select(k => new { name = k.Name, key = k.Key, role = k.Role }) }, new JsonSerializerOptions { WriteIndented = true });
        using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        stream.Write(Encoding.UTF8.GetBytes(json));
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "API keys in plain text at {Path} were imported as hashes; delete the file (it is only needed by the demo)")]
    private static partial void LogPlainFile(ILogger logger, string path);
}
