using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Otklik.Core.Policy;

namespace Otklik.Application.Policy;

/// <summary>
/// Holds the active gate policy. Loads the configured file (or the built-in default), validates it,
/// and reloads when the file changes; an invalid new version is refused and the old one stays.
/// </summary>
public sealed partial class PolicyProvider : IDisposable
{
    private readonly ILogger<PolicyProvider> _logger;
    private readonly string? _path;
    private readonly FileSystemWatcher? _watcher;
    private volatile Active _current;

    /// <summary>The policy in force with its document as written and where it came from.</summary>
    public sealed record Active(GatePolicy Policy, string Json, string Source);

    public PolicyProvider(IOptions<DeskOptions> options, ILogger<PolicyProvider> logger)
    {
        _logger = logger;
        _path = options.Value.PolicyPath is { Length: > 0 } p ? Path.GetFullPath(p) : null;
        if (_path is null)
        {
            var json = DefaultJson();
            _current = new Active(Parse(json), json, "default");
        }
        else
        {
            var json = File.ReadAllText(_path);
            _current = new Active(Parse(json), json, "file");
        }
        if (_path is not null)
        {
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
                EnableRaisingEvents = true,
            };
            _watcher.Changed += (_, _) => Reload();
            _watcher.Created += (_, _) => Reload();
            _watcher.Renamed += (_, _) => Reload();
        }
    }

    public GatePolicy Current => _current.Policy;

    public Active CurrentActive => _current;

    public static GatePolicy LoadDefault() => Parse(DefaultJson());

    public static string DefaultJson()
    {
        using var stream = typeof(PolicyProvider).Assembly.GetManifestResourceStream("Otklik.Application.Policy.default-policy.json")
            ?? throw new InvalidOperationException("The built-in policy is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses and validates a policy document; throws <see cref="PolicyInvalidException"/> naming every bad field.</summary>
    public static GatePolicy Parse(string json)
    {
        GatePolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize<GatePolicy>(json, OtklikJson.Options);
        }
        catch (JsonException ex)
        {
            throw new PolicyInvalidException([(ex.Path ?? "$", ex.Message)]);
        }
        if (policy is null)
        {
            throw new PolicyInvalidException([("$", "the document is empty")]);
        }
        var errors = policy.Validate();
        return errors.Count > 0 ? throw new PolicyInvalidException(errors) : policy;
    }

    /// <summary>Activates a policy that has been validated by <see cref="Parse"/> (from <paramref name="json"/>).</summary>
    public void Activate(GatePolicy policy, string json, string source)
    {
        _current = new Active(policy, json, source);
        LogActivated(policy.Version);
    }

    private void Reload()
    {
        try
        {
            // Editors write in several steps; a short pause avoids reading half a file.
            Thread.Sleep(100);
            var json = File.ReadAllText(_path!);
            Activate(Parse(json), json, "file");
        }
        catch (Exception ex) when (ex is PolicyInvalidException or IOException)
        {
            LogRefused(_current.Policy.Version, ex.Message);
        }
    }

    public void Dispose() => _watcher?.Dispose();

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Gate policy {Version} activated")]
    private partial void LogActivated(string version);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Policy file change refused; version {Version} stays active: {Reason}")]
    private partial void LogRefused(string version, string reason);
}
