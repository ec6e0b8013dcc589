using System.Text.Json;
using Otklik.Core.Calendar;

namespace Otklik.Core.Tests.Calendar;

public sealed class BusinessCalendarTests
{
    private static readonly BusinessCalendar s_calendar = BusinessCalendar.LoadDefault();

    private static JsonDocument Facts()
    {
        using var stream = typeof(BusinessCalendar).Assembly.GetManifestResourceStream("Otklik.Core.Calendar.calendar-ru.json")!;
        return JsonDocument.Parse(stream);
    }

    [Theory]
    [InlineData(2024, 248)]
    [InlineData(2025, 247)]
    [InlineData(2026, 247)]
    [InlineData(2027, 247)]
    public void WorkingDaysIn_EachYear_MatchesTheDecreeTotal(int year, int expected) =>
        Assert.Equal(expected, s_calendar.WorkingDaysIn(year));

    [Fact]
    public void IsWorkingDay_EveryListedDayOff_IsOff_AndEveryWorkingWeekend_IsWorking()
    {
        using var facts = Facts();
        var checkedDays = 0;
        foreach (var year in facts.RootElement.GetProperty("years").EnumerateObject())
        {
            foreach (var d in year.Value.GetProperty("weekday_days_off").EnumerateArray())
            {
                var date = DateOnly.Parse(d.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday), $"{date} is listed as a weekday day off");
                Assert.False(s_calendar.IsWorkingDay(date), $"{date} should be a day off");
                checkedDays++;
            }
            foreach (var d in year.Value.GetProperty("weekend_working_days").EnumerateArray())
            {
                var date = DateOnly.Parse(d.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(s_calendar.IsWorkingDay(date), $"{date} should be a working Saturday");
                checkedDays++;
            }
        }
        Assert.True(checkedDays > 60);
    }

    [Theory]
    [InlineData("2026-02-23", false)] // Defender of the Fatherland Day, Monday
    [InlineData("2026-02-24", true)]
    [InlineData("2026-03-09", false)] // 8 March falls on Sunday, moved to Monday
    [InlineData("2026-12-31", false)] // moved from 3 January by the 2026 decree
    [InlineData("2027-01-01", false)]
    [InlineData("2027-01-08", false)]
    [InlineData("2027-01-11", true)]
    [InlineData("2027-02-20", true)] // a Saturday made working by the 2027 decree
    [InlineData("2027-02-22", false)]
    [InlineData("2024-04-27", true)] // working Saturday 2024
    [InlineData("2024-11-02", true)]
    [InlineData("2024-12-28", true)]
    [InlineData("2025-11-01", true)]
    [InlineData("2025-06-13", false)]
    [InlineData("2026-11-04", false)] // Unity Day
    [InlineData("2026-11-28", false)] // an ordinary Saturday
    [InlineData("2026-11-25", true)]
    public void IsWorkingDay_KnownDates(string date, bool working) =>
        Assert.Equal(working, s_calendar.IsWorkingDay(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void FixedHolidaysOfLabourCodeArt112_AreOffWhenTheyFallOnWeekdays()
    {
        // Art. 112: 1–6 and 8 January, 23 February, 8 March, 1 May, 9 May, 12 June, 4 November.
        // An independent list, not read from the decree data: each of these that falls on a weekday is off.
        int[][] holidays = [[1, 1], [1, 2], [1, 3], [1, 4], [1, 5], [1, 6], [1, 8], [2, 23], [3, 8], [5, 1], [5, 9], [6, 12], [11, 4]];
        for (var year = 2024; year <= 2027; year++)
        {
            foreach (var h in holidays)
            {
                var date = new DateOnly(year, h[0], h[1]);
                if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                {
                    Assert.False(s_calendar.IsWorkingDay(date), $"{date} is a public holiday");
                }
            }
        }
    }

    [Fact]
    public void AddBusinessDays_AcrossTheNewYearHolidays_SkipsThemAll()
    {
        // Wed 30 Dec 2026 → 31 Dec off, 1–10 Jan off (8 Jan Friday off, 9–10 weekend) → Mon 11 Jan 2027.
        Assert.Equal(new DateOnly(2027, 1, 11), s_calendar.AddBusinessDays(new DateOnly(2026, 12, 30), 1));
        Assert.Equal(new DateOnly(2027, 1, 12), s_calendar.AddBusinessDays(new DateOnly(2026, 12, 30), 2));
    }

    [Fact]
    public void IsWorkingDay_OutsideTheLoadedYears_ThrowsWithAClearMessage()
    {
        var ex = Assert.Throws<CalendarRangeException>(() => s_calendar.IsWorkingDay(new DateOnly(2028, 1, 10)));
        Assert.Contains("2024–2027", ex.Message, StringComparison.Ordinal);
        Assert.Throws<CalendarRangeException>(() => s_calendar.AddBusinessDays(new DateOnly(2027, 12, 30), 2));
        Assert.Throws<CalendarRangeException>(() => s_calendar.IsWorkingDay(new DateOnly(2023, 12, 29)));
    }

    [Fact]
    public void FromJson_YearWhoseTotalDoesNotMatch_IsRefused()
    {
        const string json = """{"years":{"2026":{"decree":"x","weekday_days_off":["2026-01-01"],"weekend_working_days":[],"working_days":247}}}""";
        var ex = Assert.Throws<FormatException>(() => BusinessCalendar.FromJson(json));
        Assert.Contains("247", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_DateOfAnotherYear_IsRefused() =>
        Assert.Throws<FormatException>(() => BusinessCalendar.FromJson("""{"years":{"2026":{"weekday_days_off":["2025-01-01"],"working_days":1}}}"""));
}
