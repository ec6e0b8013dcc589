using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using Otklik.Server.Hosting;

namespace Otklik.Server.Auth;

/// <summary>
/// API keys with roles: from configuration (<c>Auth:ApiKeys</c>), or generated once per data directory
/// into <c>api-keys.json</c> (owner-readable only). Kept in memory by SHA-256 hash, never in plain text.
/// </summary>
public sealed partial class ApiKeyStore
{
    public const string FileName = "api-keys.json";

    private readonly Dictionary<string, ApiClient> _byHash = new(StringComparer.Ordinal);

    public sealed record ApiKey(string Name, string Key, string Role);

    public sealed record ApiClient(string Name, string Role);

    public ApiKeyStore(IConfiguration configuration, ServerPaths paths, ILogger<ApiKeyStore> logger)
    {
        var configured = configuration.GetSection("Auth:ApiKeys").GetChildren()
            .Select(c => new ApiKey(c["Name"] ?? c["name"] ?? "", c["Key"] ?? c["key"] ?? "", c["Role"] ?? c["role"] ?? ""))
            .ToList();
        if (configured.Count > 0)
        {
            Source = "configuration";
            Keys = configured;
        }
        else
        {
            var file = Path.Combine(paths.DataDirectory, FileName);
            KeyFile = file;
            Source = file;
            Keys = File.Exists(file) ? Read(file) : Generate(file);
            LogKeyFile(logger, file);
        }
        foreach (var k in Keys)
        {
            if (string.IsNullOrWhiteSpace(k.Name) || k.Key.Length < 16 || !Roles.All.Contains(k.Role))
            {
                throw new InvalidOperationException($"Auth:ApiKeys entry '{k.Name}' is invalid: a name, a key of at least 16 characters and a role ({string.Join(", ", Roles.All)}) are required.");
            }
            _byHash[Hash(k.Key)] = new ApiClient(k.Name, k.Role);
        }
    }

    public IReadOnlyList<ApiKey> Keys { get; }

    public string Source { get; }

    public string? KeyFile { get; }

    public ApiClient? Find(string presentedKey) => _byHash.GetValueOrDefault(Hash(presentedKey));

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static List<ApiKey> Read(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return [.. doc.RootElement.GetProperty("keys").EnumerateArray().Select(e => new ApiKey(e.GetProperty("name").GetString()!, e.GetProperty("key").GetString()!, e.GetProperty("role").GetString()!))];
    }

    private static List<ApiKey> Generate(string file)
    {
        var keys = Roles.All.Select(role => new ApiKey($"{role}-default", "ok_" + role[..3] + "_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant(), role)).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var json = JsonSerializer.Serialize(new { keys = keys.Select(k => new { name = k.Name, key = k.Key, role = k.Role }) }, new JsonSerializerOptions { WriteIndented = true });
        using (var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            stream.Write(Encoding.UTF8.GetBytes(json));
        }
        return keys;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "No API keys configured; using the generated keys in {Path} (readable by its owner only)")]
    private static partial void LogKeyFile(ILogger logger, string path);
}
