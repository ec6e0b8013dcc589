using Otklik.Core.Tickets;

namespace Otklik.Core.Policy;

/// <summary>Backlog thresholds (hours of agent work queued) and the classes each level defers.</summary>
public sealed record LoadLevelPolicy
{
    public double ElevatedHours { get; init; } = 8;
    public double HighHours { get; init; } = 24;
    public double CriticalHours { get; init; } = 72;
    public IReadOnlyList<PriorityClass> ElevatedDefers { get; init; } = [PriorityClass.P4];
    public IReadOnlyList<PriorityClass> HighDefers { get; init; } = [PriorityClass.P3, PriorityClass.P4];
    public IReadOnlyList<PriorityClass> CriticalDefers { get; init; } = [PriorityClass.P2, PriorityClass.P3, PriorityClass.P4];

    public LoadLevel LevelFor(double backlogHours) =>
        backlogHours > CriticalHours ? LoadLevel.Critical
        : backlogHours >= HighHours ? LoadLevel.High
        : backlogHours >= ElevatedHours ? LoadLevel.Elevated
        : LoadLevel.Normal;

    /// <summary>The backlog below which a level stops deferring the class.</summary>
    public double ThresholdFor(PriorityClass priority) =>
        CriticalDefers.Contains(priority) && !HighDefers.Contains(priority) ? CriticalHours
        : HighDefers.Contains(priority) && !ElevatedDefers.Contains(priority) ? HighHours
        : ElevatedHours;

    /// <summary>P1 is never deferred, whatever the configuration says.</summary>
    public bool Defers(LoadLevel level, PriorityClass priority) => priority != PriorityClass.P1 && level switch
    {
        LoadLevel.Elevated => ElevatedDefers.Contains(priority),
        LoadLevel.High => HighDefers.Contains(priority),
        LoadLevel.Critical => CriticalDefers.Contains(priority),
        _ => false,
    };

    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (ElevatedHours <= 0) yield return ("load_levels.elevated_hours", "must be positive");
        if (HighHours <= ElevatedHours) yield return ("load_levels.high_hours", "must be above elevated_hours");
        if (CriticalHours <= HighHours) yield return ("load_levels.critical_hours", "must be above high_hours");
    }
}
