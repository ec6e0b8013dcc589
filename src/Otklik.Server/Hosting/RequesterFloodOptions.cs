using Otklik.Application.Coordination;

namespace Otklik.Server.Hosting;

/// <summary>
/// The flood guard per requester in front of the intake (<c>Limits:RequesterFlood</c>), shared through
/// Redis when configured. Far above what a person sends — the gate's own limits (30 appeals a day,
/// 3 new tickets at once) decide what a person may; this only keeps a runaway script off the store.
/// </summary>
public sealed class RequesterFloodOptions
{
    public const string Section = "Limits:RequesterFlood";

    public int PerMinute { get; set; } = 120;
    public int Burst { get; set; } = 60;

    public RateLimit Limit => new(PerMinute, TimeSpan.FromMinutes(1), Burst);
}
