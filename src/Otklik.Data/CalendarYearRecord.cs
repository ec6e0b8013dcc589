namespace Otklik.Data;

/// <summary>A production-calendar year loaded by a supervisor (the decree's facts as JSON), kept across restarts.</summary>
public sealed class CalendarYearRecord
{
    public int Year { get; init; }
    public required string Json { get; set; }
    public required string LoadedBy { get; set; }
    public DateTimeOffset LoadedAt { get; set; }
}
