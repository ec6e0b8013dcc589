using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Otklik.E2E;

/// <summary>Debian's redis-server on a free loopback port, without persistence; stopped and started again at will.</summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = FreePort();

    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        const string binary = "/usr/bin/redis-server";
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException("The scale-out tests need Redis: install Debian's redis-server (bash .ci/run does).");
        }
        var info = new ProcessStartInfo(binary, ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException("redis-server did not open its port.");
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
