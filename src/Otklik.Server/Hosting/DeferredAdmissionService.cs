using Microsoft.Extensions.Options;
using Otklik.Application;
using Otklik.Application.Appeals;

namespace Otklik.Server.Hosting;

/// <summary>Checks the deferred queue against the load level.</summary>
public sealed class DeferredAdmissionService(IServiceScopeFactory scopes, TimeProvider time, IOptions<DeskOptions> options, ILogger<DeferredAdmissionService> logger)
    : ScopedTimerService(scopes, time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.AdmissionIntervalSeconds);

    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<AppealReview>().AdmitDeferredAsync(ct);
}
