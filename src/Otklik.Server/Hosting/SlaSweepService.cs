using Microsoft.Extensions.Options;
using Otklik.Application;
using Otklik.Application.Sla;

namespace Otklik.Server.Hosting;

/// <summary>Runs the escalation ladder on a timer driven by <see cref="TimeProvider"/>, so tests move time instead of sleeping.</summary>
public sealed partial class SlaSweepService(IServiceScopeFactory scopes, TimeProvider time, IOptions<DeskOptions> options, ILogger<SlaSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SlaSweepSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SlaSweeper>().RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "SLA sweep failed; it runs again at the next tick")]
    private partial void LogFailed(Exception ex);
}
