using Microsoft.Extensions.Options;
using Otklik.Application;
using Otklik.Application.Appeals;

namespace Otklik.Server.Hosting;

/// <summary>Checks the deferred queue against the load on a timer (driven by <see cref="TimeProvider"/>).</summary>
public sealed partial class DeferredAdmissionService(IServiceScopeFactory scopes, TimeProvider time, IOptions<DeskOptions> options, ILogger<DeferredAdmissionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.AdmissionIntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AppealReview>().AdmitDeferredAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Deferred admission pass failed; it runs again at the next tick")]
    private partial void LogFailed(Exception ex);
}
