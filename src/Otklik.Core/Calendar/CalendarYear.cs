namespace Otklik.Core.Calendar;

/// <summary>One year of the production calendar as its decree sets it.</summary>
public sealed record CalendarYear(
    int Year,
    string Decree,
    IReadOnlyList<DateOnly> WeekdayDaysOff,
    IReadOnlyList<DateOnly> WeekendWorkingDays,
    IReadOnlyList<DateOnly> ShortenedDays,
    int WorkingDays);
