namespace Otklik.Data;

/// <summary>The workforce system's last capacity report; one row.</summary>
public sealed class CapacityReport
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;
    public int AgentsOnline { get; set; }
    public double AvgHandleMinutes { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
