using System.Diagnostics.Metrics;
using Otklik.Core;
using Otklik.Core.Appeals;

namespace Otklik.Application;

/// <summary>
/// Otklik's own meters, exported by the host (Prometheus at /metrics). Instruments are named without the
/// meter's name: the Prometheus exporter puts it in front (<c>appeals</c> is scraped as <c>otklik_appeals</c>).
/// </summary>
public sealed class OtklikMetrics : IDisposable
{
    public const string MeterName = "Otklik";

    private readonly Meter _meter;
    private readonly Counter<long> _appeals;
    private readonly Counter<long> _reasons;
    private readonly Counter<long> _overrides;
    private readonly Histogram<double> _intakeSeconds;

    private readonly Counter<long> _ladder;

    public OtklikMetrics(IMeterFactory factory, Coordination.SharedStateStatus shared, Load.LoadMonitor load, Appeals.IntakeCommitter? committer = null)
    {
        _meter = factory.Create(MeterName);
        _ladder = _meter.CreateCounter<long>("sla_ladder_steps", description: "Escalation ladder rungs taken: warnings, first-response breaches, legal queue, systematically unanswered");
        _meter.CreateObservableGauge("load_level", () => (int)(load.Last?.Level ?? Core.Policy.LoadLevel.Normal), description: "Load level: 0 normal, 1 elevated, 2 high, 3 critical");
        _meter.CreateObservableGauge("backlog_hours", () => load.Last is { } l && double.IsFinite(l.BacklogHours) ? l.BacklogHours : -1, description: "Open work in hours of agent capacity (-1: no agents online)");
        _meter.CreateObservableGauge("open_tickets", () => load.Last?.OpenTickets ?? 0, description: "Open tickets as last counted");
        _meter.CreateObservableGauge("shared_state_degraded", () => shared.Degraded ? 1 : 0,
            description: "1 while Redis is configured but not answering (rate limits and load level are per node meanwhile)");
        if (committer is not null)
        {
            _meter.CreateObservableCounter<long>("writer_cache_reads", () => committer.Cache is { } c
                ? (IEnumerable<Measurement<long>>)[new Measurement<long>(c.Hits, new KeyValuePair<string, object?>("from", "memory")), new Measurement<long>(c.Misses, new KeyValuePair<string, object?>("from", "store"))]
                : [], description: "The embedded writer's reads of a requester's history, from its memory or from the store");
            _meter.CreateObservableCounter("writer_busy", () => committer.BusySeconds, unit: "s",
                description: "Time the embedded store's single writer spent on batches; near the wall clock's pace, the writer bounds the intake");
            _meter.CreateObservableGauge("writer_nice", () => committer.WriterNice,
                description: "Nice value of the embedded store's writer thread (Desk:WriterNiceness; the server's own if the system refused it)");
            _meter.CreateObservableCounter("writer_jobs", () => committer.Jobs, description: "Intakes the embedded writer ran");
            _meter.CreateObservableCounter("writer_batches", () => committer.Batches, description: "Transactions the embedded writer committed them in");
            _meter.CreateObservableCounter("writer_cache_forgotten", () => committer.Cache?.Forgotten ?? 0,
                description: "Times the embedded writer dropped every requester it remembered (another connection wrote, a write failed, or it was full)");
        }
        _appeals = _meter.CreateCounter<long>("appeals", description: "Appeals decided, by channel and outcome");
        _reasons = _meter.CreateCounter<long>("decision_reasons", description: "Reason codes given in decisions");
        _overrides = _meter.CreateCounter<long>("overrides", description: "Held appeals turned into tickets by agents, by the rule that held them");
        _intakeSeconds = _meter.CreateHistogram<double>("intake_duration", unit: "s", description: "Time to decide and store one appeal");
    }

    public void Decided(Decision decision, Channel channel, double seconds)
    {
        _appeals.Add(1, new KeyValuePair<string, object?>("channel", WireName.Of(channel)), new KeyValuePair<string, object?>("outcome", WireName.Of(decision.Outcome)));
        foreach (var r in decision.Reasons)
        {
            _reasons.Add(1, new KeyValuePair<string, object?>("reason", WireName.Of(r.Code)));
        }
        _intakeSeconds.Record(seconds);
    }

    public void LadderStep(Core.Tickets.TicketEventKind kind) => _ladder.Add(1, new KeyValuePair<string, object?>("step", WireName.Of(kind)));

    public void Overridden(string? rule) => _overrides.Add(1, new KeyValuePair<string, object?>("rule", rule ?? "none"));

    public void Dispose() => _meter.Dispose();
}
