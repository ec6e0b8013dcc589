using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Otklik.Application.Policy;
using Otklik.Core.Gate;
using Otklik.Core.Sla;

namespace Otklik.Server.Tests;

/// <summary>
/// The replay of a candidate policy over stored appeals: the policy that decided them changes nothing,
/// and a stricter one's counts match replaying the same appeals one by one through the gate.
/// </summary>
public sealed class PolicySimulationTests : IDisposable
{
    private static readonly DateTimeOffset s_from = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_to = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly OtklikFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static GatePolicyFactory Candidate => () =>
    {
        var node = JsonNode.Parse(PolicyProvider.DefaultJson())!;
        node["version"] = "candidate-1";
        node["buyer"]!["spam_max_appeals_per_day"] = 10;
        node["buyer"]!["new_account_days"] = 60;
        node["buyer"]!["inactive_days"] = 90;
        return PolicyProvider.Parse(node.ToJsonString());
    };

    private delegate Otklik.Core.Policy.GatePolicy GatePolicyFactory();

    [Fact]
    public async Task ReplayCounts_MatchTheGateOneByOne_AndTheDecidingPolicyChangesNothing()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var current = services.GetRequiredService<PolicyProvider>().Current;
        await services.GetRequiredService<SyntheticAppeals>().GenerateAsync(20_000, s_from, s_to, current, seed: 7, null, CancellationToken.None);
        var simulator = services.GetRequiredService<PolicySimulator>();

        var same = await simulator.RunAsync(s_from, s_to, current, null, CancellationToken.None);
        Assert.Equal(20_000, same.Total);
        Assert.Equal(0, same.Changed);

        var candidate = Candidate();
        var progress = new List<int>();
        var result = await simulator.RunAsync(s_from, s_to, candidate, new SyncProgress(p => progress.Add(p.Done)), CancellationToken.None);
        Assert.True(result.Changed > 0, "the stricter policy changes some decisions");
        Assert.Equal(20_000, progress.Max());

        // One by one, straight through the gate.
        var gate = services.GetRequiredService<AdmissionGate>();
        var clock = services.GetRequiredService<SlaClock>();
        var expected = new Dictionary<(string, string?), (int Before, int After, int Gained, int Lost)>();
        var changed = 0;
        foreach (var appeal in await PolicySimulator.Rows(simulator.Period(s_from, s_to)).ToListAsync())
        {
            var before = PolicySimulator.Before(appeal);
            var after = PolicySimulator.Replay(gate, appeal, candidate, clock.LocalDate);
            Bump((before.Rule ?? "none", before.Reason), b: 1);
            Bump((after.Rule ?? "none", after.Reason), a: 1);
            if (before != after)
            {
                changed++;
                Bump((before.Rule ?? "none", before.Reason), lost: 1);
                Bump((after.Rule ?? "none", after.Reason), gained: 1);
            }
        }
        Assert.Equal(changed, result.Changed);
        Assert.Equal(expected.Count, result.Rows.Count);
        foreach (var row in result.Rows)
        {
            Assert.Equal(expected[(row.Rule, row.Reason)], (row.Before, row.After, row.Gained, row.Lost));
            Assert.True(row.Examples.Count <= PolicySimulator.ExamplesPerKey);
            Assert.All(row.Examples, e => Assert.NotEqual(e.Before, e.After));
        }
        Assert.Contains(result.Rows, r => r.Rule == "spam_protection" && r.Gained > 0);

        void Bump((string, string?) key, int b = 0, int a = 0, int gained = 0, int lost = 0)
        {
            var row = expected.GetValueOrDefault(key);
            expected[key] = (row.Before + b, row.After + a, row.Gained + gained, row.Lost + lost);
        }
    }

    private sealed class SyncProgress(Action<PolicySimulator.Progress> report) : IProgress<PolicySimulator.Progress>
    {
        private readonly Lock _lock = new();

        public void Report(PolicySimulator.Progress value)
        {
            lock (_lock)
            {
                report(value);
            }
        }
    }
}
