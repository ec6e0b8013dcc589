using Otklik.Application.Access;
using Otklik.Server.Auth;

namespace Otklik.Server.Hosting;

/// <summary>Reloads the stored API keys, so a key created, rotated or revoked by the CLI (on any machine) takes effect here.</summary>
public sealed class ApiKeyRefreshService(IServiceScopeFactory scopes, TimeProvider time, ApiKeyStore store, Microsoft.Extensions.Options.IOptions<Otklik.Application.DeskOptions> options, ILogger<ApiKeyRefreshService> logger)
    : ScopedTimerService(scopes, time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.KeyRefreshSeconds);

    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        store.RefreshAsync(services.GetRequiredService<ApiKeys>(), ct);
}
