using Otklik.Core.Policy;

namespace Otklik.Core.Gate;

/// <summary>The desk's load as of the decision: backlog in hours of agent work against capacity.</summary>
public readonly record struct LoadSnapshot(LoadLevel Level, double BacklogHours, int AgentsOnline, double AvgHandleMinutes, int OpenTickets)
{
    public static readonly LoadSnapshot Idle = new(LoadLevel.Normal, 0, 0, 0, 0);

    public static LoadSnapshot From(LoadLevelPolicy policy, int openTickets, int agentsOnline, double avgHandleMinutes)
    {
        var work = openTickets * avgHandleMinutes / 60.0;
        // No agents online means queued work never drains: the backlog is unbounded unless there is none.
        var hours = work <= 0 ? 0 : agentsOnline <= 0 ? double.PositiveInfinity : work / agentsOnline;
        return new LoadSnapshot(policy.LevelFor(hours), hours, agentsOnline, avgHandleMinutes, openTickets);
    }
}
