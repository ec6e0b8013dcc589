using Otklik.Application.Policy;

namespace Otklik.Server.Hosting;

/// <summary>Keeps this node on the newest policy version in the store (activated on another node, or a changed file recorded here).</summary>
public sealed class PolicySyncService(IServiceScopeFactory scopes, TimeProvider time, Microsoft.Extensions.Options.IOptions<Otklik.Application.DeskOptions> options, ILogger<PolicySyncService> logger)
    : ScopedTimerService(scopes, time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.PolicySyncSeconds);

    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<PolicyVersions>().SyncAsync(ct);
}
