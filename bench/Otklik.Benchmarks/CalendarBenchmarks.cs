using BenchmarkDotNet.Attributes;
using Otklik.Core.Calendar;
using Otklik.Core.Sla;
using Otklik.Core.Text;

namespace Otklik.Benchmarks;

/// <summary>Due-time arithmetic and text normalisation: the per-appeal work around the gate.</summary>
[MemoryDiagnoser]
public class CalendarBenchmarks
{
    private static readonly DateTimeOffset s_received = new(2026, 12, 29, 18, 0, 0, TimeSpan.FromHours(3));
    private readonly SlaClock _clock = new(BusinessCalendar.LoadDefault(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"));

    [Benchmark(Baseline = true)]
    public DateTimeOffset FirstResponseDueOverNewYear() => _clock.DueAfterBusinessDays(s_received, 3);

    [Benchmark]
    public DateTimeOffset LegalDeadline10Days() => _clock.LegalDeadline(s_received, 10);

    [Benchmark]
    public ulong NormalizeAppealText() => NormalizedText.From("Чайник пришёл с трещиной на корпусе, прошу замену. Заказ 38211574-0012, доставили вчера.").Fingerprint;
}
