using Otklik.Application.Channels;

namespace Otklik.Server.Hosting;

/// <summary>Retries replies the channels could not take yet.</summary>
public sealed class OutboxService(IServiceScopeFactory scopes, TimeProvider time, Microsoft.Extensions.Options.IOptions<Otklik.Application.DeskOptions> options, ILogger<OutboxService> logger)
    : ScopedTimerService(scopes, time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.OutboxIntervalSeconds);

    protected override Task RunAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<ReplyOutbox>().SendDueAsync(ct);
}
