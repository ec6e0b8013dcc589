using System.Text.Json;

namespace Otklik.Core.Calendar;

/// <summary>
/// The Russian production calendar for a five-day week: weekends and the holidays of Labour Code
/// art. 112 are off, and each year's decree moves days off. Pure data; lookups are a bit test.
/// </summary>
public sealed class BusinessCalendar
{
    private readonly int _firstYear;
    private readonly int _lastYear;

    // One bit per day of each loaded year, set when the day is a working day.
    private readonly bool[][] _working;
    private readonly Dictionary<int, CalendarYear> _years;

    public BusinessCalendar(IEnumerable<CalendarYear> years, string timeZoneId = "Europe/Moscow")
    {
        _years = years.ToDictionary(y => y.Year);
        if (_years.Count == 0)
        {
            throw new ArgumentException("The calendar needs at least one year.", nameof(years));
        }
        _firstYear = _years.Keys.Min();
        _lastYear = _years.Keys.Max();
        for (var y = _firstYear; y <= _lastYear; y++)
        {
            if (!_years.ContainsKey(y))
            {
                throw new ArgumentException($"The calendar has a gap: year {y} is missing.", nameof(years));
            }
        }
        TimeZoneId = timeZoneId;
        _working = new bool[_lastYear - _firstYear + 1][];
        foreach (var year in _years.Values)
        {
            _working[year.Year - _firstYear] = BuildYear(year);
        }
    }

    public string TimeZoneId { get; }

    public int FirstYear => _firstYear;

    public int LastYear => _lastYear;

    public DateOnly LastDay => new(_lastYear, 12, 31);

    public IReadOnlyCollection<CalendarYear> Years => _years.Values;

    /// <summary>A short fingerprint of the loaded years, recorded with due times.</summary>
    public string Version => $"ru-{_firstYear}-{_lastYear}";

    public bool IsWorkingDay(DateOnly date)
    {
        if (date.Year < _firstYear || date.Year > _lastYear)
        {
            throw new CalendarRangeException(date, _firstYear, _lastYear);
        }
        return _working[date.Year - _firstYear][date.DayOfYear - 1];
    }

    /// <summary>The <paramref name="count"/>-th working day counted strictly after <paramref name="date"/>.</summary>
    public DateOnly AddBusinessDays(DateOnly date, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var day = date;
        var left = count;
        while (left > 0)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                left--;
            }
        }
        return day;
    }

    /// <summary>The date itself when it is a working day, else the next working day.</summary>
    public DateOnly NextWorkingDayOnOrAfter(DateOnly date)
    {
        var day = date;
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }
        return day;
    }

    public int WorkingDaysIn(int year)
    {
        if (!_years.ContainsKey(year))
        {
            throw new CalendarRangeException(new DateOnly(year, 1, 1), _firstYear, _lastYear);
        }
        return _working[year - _firstYear].Count(w => w);
    }

    /// <summary>Reads the calendar JSON (the shape of calendar-ru.json) and checks each year's total.</summary>
    public static BusinessCalendar FromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var tz = root.TryGetProperty("time_zone", out var tzProp) ? tzProp.GetString() ?? "Europe/Moscow" : "Europe/Moscow";
        var years = new List<CalendarYear>();
        foreach (var yearProp in root.GetProperty("years").EnumerateObject())
        {
            if (!int.TryParse(yearProp.Name, out var year) || year < 1900 || year > 2200)
            {
                throw new FormatException($"Calendar year '{yearProp.Name}' is not a year.");
            }
            years.Add(ParseYear(year, yearProp.Value));
        }
        return Create(years, tz);
    }

    /// <summary>One year's decree facts: weekday_days_off, weekend_working_days, shortened_days, working_days.</summary>
    public static CalendarYear ParseYear(int year, JsonElement y) => new(
        year,
        y.TryGetProperty("decree", out var decree) ? decree.GetString() ?? "" : "",
        ReadDates(y, "weekday_days_off", year),
        ReadDates(y, "weekend_working_days", year),
        ReadDates(y, "shortened_days", year),
        y.TryGetProperty("working_days", out var wd) && wd.ValueKind == JsonValueKind.Number ? wd.GetInt32() : throw new FormatException($"Calendar {year}: working_days (the decree's total) is required."));

    /// <summary>A calendar of consecutive years whose dates give each year's declared working-day total.</summary>
    public static BusinessCalendar Create(IEnumerable<CalendarYear> years, string timeZoneId = "Europe/Moscow")
    {
        var list = years.ToList();
        var calendar = new BusinessCalendar(list, timeZoneId);
        foreach (var year in list)
        {
            var actual = calendar.WorkingDaysIn(year.Year);
            if (actual != year.WorkingDays)
            {
                throw new FormatException($"Calendar year {year.Year} declares {year.WorkingDays} working days but its dates give {actual}.");
            }
        }
        return calendar;
    }

    /// <summary>The calendar shipped with Otklik (2024–2027).</summary>
    public static BusinessCalendar LoadDefault()
    {
        using var stream = typeof(BusinessCalendar).Assembly.GetManifestResourceStream("Otklik.Core.Calendar.calendar-ru.json")
            ?? throw new InvalidOperationException("The embedded production calendar is missing from the build.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    private static List<DateOnly> ReadDates(JsonElement year, string name, int expectedYear)
    {
        var list = new List<DateOnly>();
        if (!year.TryGetProperty(name, out var arr))
        {
            return list;
        }
        foreach (var item in arr.EnumerateArray())
        {
            var text = item.GetString();
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", out var date) || date.Year != expectedYear)
            {
                throw new FormatException($"Calendar {expectedYear}: '{text}' in {name} is not a date of that year.");
            }
            list.Add(date);
        }
        return list;
    }

    private static bool[] BuildYear(CalendarYear year)
    {
        var first = new DateOnly(year.Year, 1, 1);
        var days = DateTime.IsLeapYear(year.Year) ? 366 : 365;
        var working = new bool[days];
        for (var i = 0; i < days; i++)
        {
            var d = first.AddDays(i);
            working[i] = d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        }
        foreach (var off in year.WeekdayDaysOff)
        {
            working[off.DayOfYear - 1] = false;
        }
        foreach (var on in year.WeekendWorkingDays)
        {
            working[on.DayOfYear - 1] = true;
        }
        return working;
    }
}
