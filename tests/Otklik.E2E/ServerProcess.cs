using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Otklik.E2E;

/// <summary>
/// The real server, started as its own process with <c>--demo</c> on a free loopback port and a fresh
/// data directory — the way a user runs it — and stopped at the end.
/// </summary>
public sealed class ServerProcess : IAsyncLifetime
{
    private Process? _process;

    public string BaseUrl { get; private set; } = "";

    public string DataDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "otklik-e2e", Guid.NewGuid().ToString("N"));

    /// <summary>Extra configuration for the process (e.g. <c>ConnectionStrings__Redis</c>), set before it starts.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public async Task InitializeAsync()
    {
        Otklik.Tests.TestLeftovers.Directory(DataDirectory);
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        await StartAsync();
    }

    /// <summary>A key of the demo's generated keys (its <c>api-keys.json</c>) for <paramref name="role"/>.</summary>
    public async Task<string> KeyAsync(string role)
    {
        using var keys = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(DataDirectory, "api-keys.json")));
        return keys.RootElement.GetProperty("keys").EnumerateArray().First(k => k.GetProperty("role").GetString() == role).GetProperty("key").GetString()!;
    }

    /// <summary>Ends the server the hard way (SIGKILL): no shutdown, no flush.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.WaitForExit(10_000);
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts (again) on the same address and data directory.</summary>
    public async Task StartAsync()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
        var serverDir = Path.Combine(root, "src", "Otklik.Server", "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", ["Otklik.Server.dll", "--demo", "--data-dir", DataDirectory, "--urls", BaseUrl])
        {
            WorkingDirectory = serverDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Every answer the embedded writer gives from memory is checked against the store here too.
        start.Environment["Desk__VerifyWriterCache"] = "true";
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await http.GetAsync(BaseUrl + "/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"The server at {BaseUrl} did not become ready.");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
