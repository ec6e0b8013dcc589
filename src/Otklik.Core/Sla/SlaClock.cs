using Otklik.Core.Calendar;

namespace Otklik.Core.Sla;

/// <summary>
/// Due-time arithmetic in the desk's time zone: "the end of the N-th business day counted strictly
/// after the day the appeal was received" (sla.md).
/// </summary>
public sealed class SlaClock(BusinessCalendar calendar, TimeZoneInfo timeZone)
{
    private volatile BusinessCalendar _calendar = calendar;

    /// <summary>The production calendar in force; a supervisor may load the next year's decree.</summary>
    public BusinessCalendar Calendar => _calendar;

    public void UseCalendar(BusinessCalendar next) => _calendar = next;

    public TimeZoneInfo TimeZone { get; } = timeZone;

    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, TimeZone).DateTime);

    public DateTimeOffset ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZone);

    /// <summary>23:59:59 of <paramref name="date"/> in the desk's time zone.</summary>
    public DateTimeOffset EndOfDay(DateOnly date)
    {
        var local = date.ToDateTime(new TimeOnly(23, 59, 59), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    public DateTimeOffset DueAfterBusinessDays(DateTimeOffset receivedAt, int businessDays) =>
        EndOfDay(Calendar.AddBusinessDays(LocalDate(receivedAt), businessDays));

    /// <summary>Moves a due time later by whole business days (pending time on the resolution clock).</summary>
    public DateTimeOffset ShiftByBusinessDays(DateTimeOffset due, int businessDays) =>
        businessDays <= 0 ? due : EndOfDay(Calendar.AddBusinessDays(LocalDate(due), businessDays));

    /// <summary>
    /// Whole business days inside [from, to): the time that fell on working days, in 24-hour days,
    /// rounded down — a ticket pending from Friday evening to Monday morning gains nothing.
    /// </summary>
    public int WholeBusinessDaysBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return 0;
        }
        var localFrom = ToLocal(from);
        var localTo = ToLocal(to);
        var day = DateOnly.FromDateTime(localFrom.DateTime);
        var lastDay = DateOnly.FromDateTime(localTo.DateTime);
        var total = TimeSpan.Zero;
        while (day <= lastDay)
        {
            if (Calendar.IsWorkingDay(day))
            {
                var start = day.ToDateTime(TimeOnly.MinValue);
                var end = start.AddDays(1);
                var s = localFrom.DateTime > start ? localFrom.DateTime : start;
                var e = localTo.DateTime < end ? localTo.DateTime : end;
                if (e > s)
                {
                    total += e - s;
                }
            }
            day = day.AddDays(1);
        }
        return (int)Math.Floor(total.TotalDays);
    }

    /// <summary>
    /// A statutory term in calendar days, counted from the day after receipt; a last day that is not
    /// a working day moves to the next working day (Civil Code art. 191, 193).
    /// </summary>
    public DateTimeOffset LegalDeadline(DateTimeOffset receivedAt, int calendarDays)
    {
        var last = LocalDate(receivedAt).AddDays(calendarDays);
        return EndOfDay(Calendar.NextWorkingDayOnOrAfter(last));
    }
}
