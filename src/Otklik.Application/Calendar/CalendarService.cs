using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Otklik.Core.Calendar;
using Otklik.Core.Sla;
using Otklik.Data;

namespace Otklik.Application.Calendar;

/// <summary>
/// The production calendar as versioned data: the years shipped with Otklik, plus the years a
/// supervisor loaded (kept in the store, so they survive restarts). A year is accepted only when its
/// dates give the decree's working-day total and the years stay consecutive.
/// </summary>
public sealed class CalendarService(OtklikDbContext db, SlaClock clock, TimeProvider time)
{
    public sealed class CalendarInvalidException(string message) : Exception(message);

    /// <summary>Applies the stored years on top of the shipped ones.</summary>
    public async Task LoadStoredYearsAsync(CancellationToken ct)
    {
        var stored = await db.CalendarYears.AsNoTracking().ToListAsync(ct);
        if (stored.Count == 0)
        {
            return;
        }
        var years = BusinessCalendar.LoadDefault().Years.ToDictionary(y => y.Year);
        foreach (var record in stored)
        {
            using var doc = JsonDocument.Parse(record.Json);
            years[record.Year] = BusinessCalendar.ParseYear(record.Year, doc.RootElement);
        }
        clock.UseCalendar(BusinessCalendar.Create(years.Values.OrderBy(y => y.Year), clock.Calendar.TimeZoneId));
    }

    /// <summary>Validates and activates one year's decree; returns the calendar now in force.</summary>
    public async Task<BusinessCalendar> LoadYearAsync(int year, string json, string loadedBy, CancellationToken ct)
    {
        BusinessCalendar next;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CalendarInvalidException("The year must be a JSON object.");
            }
            var parsed = BusinessCalendar.ParseYear(year, doc.RootElement);
            var years = clock.Calendar.Years.ToDictionary(y => y.Year);
            years[year] = parsed;
            next = BusinessCalendar.Create(years.Values.OrderBy(y => y.Year), clock.Calendar.TimeZoneId);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            throw new CalendarInvalidException(ex.Message);
        }
        var record = await db.CalendarYears.FirstOrDefaultAsync(c => c.Year == year, ct);
        if (record is null)
        {
            record = new CalendarYearRecord { Year = year, Json = json, LoadedBy = loadedBy };
            db.CalendarYears.Add(record);
        }
        record.Json = json;
        record.LoadedBy = loadedBy;
        record.LoadedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        clock.UseCalendar(next);
        return next;
    }
}
