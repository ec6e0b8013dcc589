using Microsoft.Extensions.Options;
using Otklik.Application;
using Otklik.Application.Sla;

namespace Otklik.Server.Hosting;

/// <summary>Walks the escalation ladder.</summary>
public sealed class SlaSweepService(IServiceScopeFactory scopes, TimeProvider time, IOptions<DeskOptions> options, ILogger<SlaSweepService> logger)
    : ScopedTimerService(scopes, time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SlaSweepSeconds);

    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<SlaSweeper>().RunOnceAsync(ct);
}
