using System.Diagnostics;
using Otklik.Core.Gate;
using Otklik.Core.Tests.Gate;
using Otklik.Core.Tickets;

namespace Otklik.Benchmarks;

/// <summary>
/// Per-decision latency percentiles (BenchmarkDotNet reports means of batches): a million single
/// decisions over a mix of warm contexts, each timed alone, after a warm-up; plus bytes per decision.
/// Run with <c>-- --latency</c>.
/// </summary>
public static class GateLatency
{
    public static void Run(TextWriter output)
    {
        var gate = AdmissionGate.CreateDefault();
        var busy = new GateContextBuilder();
        for (var i = 0; i < 20; i++)
        {
            busy.WithTicket(GateContextBuilder.Ticket($"200-{i}", "other", TicketStatus.Solved, GateContextBuilder.Now.AddDays(-i), $"вопрос номер {i} про доставку и оплату заказа"));
        }
        GateContext[] contexts =
        [
            new GateContextBuilder().Build(),
            new GateContextBuilder().Attachments().Build(),
            new GateContextBuilder().WithTicket(GateContextBuilder.Ticket("100-1", "damaged_item", TicketStatus.Open)).Build(),
            busy.Build(),
        ];
        const int Decisions = 1_000_000;
        for (var i = 0; i < 200_000; i++)
        {
            gate.Evaluate(contexts[i % contexts.Length]);
        }
        var ticks = new long[Decisions];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Decisions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            gate.Evaluate(contexts[i % contexts.Length]);
            ticks[i] = Stopwatch.GetTimestamp() - started;
        }
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)Decisions;
        Array.Sort(ticks);
        double Us(double p) => ticks[Math.Min(Decisions - 1, (int)(p * Decisions))] * 1_000_000.0 / Stopwatch.Frequency;
        output.WriteLine($"gate decisions (warm contexts, 4 kinds in turn): n={Decisions} p50={Us(0.50):0.00} µs p90={Us(0.90):0.00} µs p99={Us(0.99):0.00} µs p99.9={Us(0.999):0.00} µs max={Us(1.0):0.0} µs allocated={allocated:0} B/decision");
    }
}
