using BenchmarkDotNet.Attributes;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Tests.Gate;
using Otklik.Core.Tickets;

namespace Otklik.Benchmarks;

/// <summary>
/// One gate decision with the requester's context already loaded (warm), as the intake runs it.
/// The baseline is the cheapest complete decision: every rule passes.
/// </summary>
[MemoryDiagnoser]
public class GateBenchmarks
{
    private readonly AdmissionGate _gate = AdmissionGate.CreateDefault();
    private GateContext _accepted = null!;
    private GateContext _needsEvidence = null!;
    private GateContext _merged = null!;
    private GateContext _withHistory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _accepted = new GateContextBuilder().Build();
        _needsEvidence = new GateContextBuilder().Attachments().Build();
        _merged = new GateContextBuilder().WithTicket(GateContextBuilder.Ticket("100-1", "damaged_item", TicketStatus.Open)).Build();
        var busy = new GateContextBuilder();
        for (var i = 0; i < 20; i++)
        {
            busy.WithTicket(GateContextBuilder.Ticket($"200-{i}", "other", TicketStatus.Solved, GateContextBuilder.Now.AddDays(-i), $"вопрос номер {i} про доставку и оплату заказа"));
        }
        _withHistory = busy.Build();
        // Contexts cache their priority; evaluate once so every iteration measures the same warm work.
        foreach (var c in new[] { _accepted, _needsEvidence, _merged, _withHistory })
        {
            _gate.Evaluate(c);
        }
    }

    [Benchmark(Baseline = true)]
    public Outcome Accepted() => _gate.Evaluate(_accepted).Outcome;

    [Benchmark]
    public Outcome NeedsEvidence() => _gate.Evaluate(_needsEvidence).Outcome;

    [Benchmark]
    public Outcome MergedIntoOpenTicket() => _gate.Evaluate(_merged).Outcome;

    [Benchmark]
    public Outcome AcceptedWith20PastTickets() => _gate.Evaluate(_withHistory).Outcome;

    [Benchmark]
    public Decision ComposeDecision()
    {
        var result = _gate.Evaluate(_needsEvidence);
        return DecisionComposer.Compose(result, _needsEvidence, null, null, null);
    }
}
