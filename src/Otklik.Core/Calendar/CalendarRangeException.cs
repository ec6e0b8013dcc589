namespace Otklik.Core.Calendar;

/// <summary>A date outside the loaded production calendar: an error, never a guess.</summary>
public sealed class CalendarRangeException(DateOnly date, int firstYear, int lastYear)
    : Exception($"The production calendar covers {firstYear}–{lastYear}; {date:yyyy-MM-dd} is outside it. Load the decree for {date.Year}.")
{
    public DateOnly Date { get; } = date;
}
