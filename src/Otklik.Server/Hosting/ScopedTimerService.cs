namespace Otklik.Server.Hosting;

/// <summary>
/// Runs one job in a fresh DI scope on a timer driven by <see cref="TimeProvider"/>, so tests move
/// time instead of sleeping. A failed pass is logged and the next tick tries again.
/// </summary>
public abstract partial class ScopedTimerService(IServiceScopeFactory scopes, TimeProvider time, ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RunAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, GetType().Name, ex);
            }
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "{Job} pass failed; it runs again at the next tick")]
    private static partial void LogFailed(ILogger logger, string job, Exception ex);
}
