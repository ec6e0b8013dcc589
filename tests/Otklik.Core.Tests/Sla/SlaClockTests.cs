using Otklik.Core.Calendar;
using Otklik.Core.Sla;

namespace Otklik.Core.Tests.Sla;

public sealed class SlaClockTests
{
    private static readonly SlaClock s_clock = new(BusinessCalendar.LoadDefault(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"));

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // The spec's example: Friday 2026-02-20 18:00, N = 2, Monday 23 Feb off → Wed 25 Feb 23:59:59.
    [InlineData("2026-02-20T18:00:00+03:00", 2, "2026-02-25T23:59:59+03:00")]
    [InlineData("2026-02-20T18:00:00+03:00", 1, "2026-02-24T23:59:59+03:00")]
    // Received on a day off: counting starts after it all the same.
    [InlineData("2026-02-23T10:00:00+03:00", 1, "2026-02-24T23:59:59+03:00")]
    // The desk's day: 22:30 UTC on the 24th is already the 25th in Moscow.
    [InlineData("2026-11-24T22:30:00+00:00", 1, "2026-11-26T23:59:59+03:00")]
    // Unity Day (Wed 4 Nov 2026).
    [InlineData("2026-11-03T09:00:00+03:00", 1, "2026-11-05T23:59:59+03:00")]
    // Year end: 30 Dec 2026 → 11 Jan 2027.
    [InlineData("2026-12-30T12:00:00+03:00", 1, "2027-01-11T23:59:59+03:00")]
    [InlineData("2026-12-29T12:00:00+03:00", 3, "2027-01-12T23:59:59+03:00")]
    // A working Saturday counts (20 Feb 2027).
    [InlineData("2027-02-19T12:00:00+03:00", 1, "2027-02-20T23:59:59+03:00")]
    public void DueAfterBusinessDays_MatchesTheProductionCalendar(string received, int days, string expected)
    {
        var due = s_clock.DueAfterBusinessDays(At(received), days);
        Assert.Equal(At(expected), due);
        Assert.Equal(TimeSpan.FromHours(3), due.Offset);
    }

    [Theory]
    // Art. 22: 10 calendar days from the day after receipt.
    [InlineData("2026-11-25T10:00:00+03:00", 10, "2026-12-05T23:59:59+03:00", "2026-12-07T23:59:59+03:00")]
    // Last day a working day: no move.
    [InlineData("2026-11-20T10:00:00+03:00", 10, "2026-11-30T23:59:59+03:00", "2026-11-30T23:59:59+03:00")]
    // Last day on the New Year holidays → the next working day.
    [InlineData("2026-12-22T10:00:00+03:00", 10, "2027-01-01T23:59:59+03:00", "2027-01-11T23:59:59+03:00")]
    public void LegalDeadline_RollsToTheNextWorkingDay(string received, int days, string lastCalendarDay, string expected)
    {
        _ = lastCalendarDay;
        Assert.Equal(At(expected), s_clock.LegalDeadline(At(received), days));
    }

    [Theory]
    [InlineData("2026-11-23T10:00:00+03:00", "2026-11-25T10:00:00+03:00", 2)] // Mon 10:00 → Wed 10:00
    [InlineData("2026-11-23T10:00:00+03:00", "2026-11-23T18:00:00+03:00", 0)]
    [InlineData("2026-11-20T18:00:00+03:00", "2026-11-23T09:00:00+03:00", 0)] // Fri evening → Mon morning
    [InlineData("2026-11-20T00:00:00+03:00", "2026-11-24T00:00:00+03:00", 2)] // Fri + Mon, weekend skipped
    [InlineData("2026-11-03T00:00:00+03:00", "2026-11-06T00:00:00+03:00", 2)] // Tue, (Wed 4 Nov off), Thu
    public void WholeBusinessDaysBetween_CountsOnlyWorkingTime(string from, string to, int expected) =>
        Assert.Equal(expected, s_clock.WholeBusinessDaysBetween(At(from), At(to)));

    [Fact]
    public void ShiftByBusinessDays_MovesADueTimeOverHolidays() =>
        Assert.Equal(At("2026-11-05T23:59:59+03:00"), s_clock.ShiftByBusinessDays(At("2026-11-02T23:59:59+03:00"), 2));
}
