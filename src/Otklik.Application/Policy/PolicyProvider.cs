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
    private volatile GatePolicy _current;

    public PolicyProvider(IOptions<DeskOptions> options, ILogger<PolicyProvider> logger)
    {
        _logger = logger;
        _path = options.Value.PolicyPath is { Length: > 0 } p ? Path.GetFullPath(p) : null;
        _current = _path is null ? LoadDefault() : Parse(File.ReadAllText(_path));
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

    public GatePolicy Current => _current;

    public static GatePolicy LoadDefault()
    {
        using var stream = typeof(PolicyProvider).Assembly.GetManifestResourceStream("Otklik.Application.Policy.default-policy.json")
            ?? throw new InvalidOperationException("The built-in policy is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
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

    /// <summary>Activates a policy that has been validated by <see cref="Parse"/>.</summary>
    public void Activate(GatePolicy policy)
    {
        _current = policy;
        LogActivated(policy.Version);
    }

    private void Reload()
    {
        try
        {
            // Editors write in several steps; a short pause avoids reading half a file.
            Thread.Sleep(100);
            Activate(Parse(File.ReadAllText(_path!)));
        }
        catch (Exception ex) when (ex is PolicyInvalidException or IOException)
        {
            LogRefused(_current.Version, ex.Message);
        }
    }

    public void Dispose() => _watcher?.Dispose();

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Gate policy {Version} activated")]
    private partial void LogActivated(string version);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Policy file change refused; version {Version} stays active: {Reason}")]
    private partial void LogRefused(string version, string reason);
}
