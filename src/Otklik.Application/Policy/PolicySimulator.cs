using System.Diagnostics;
using System.Text.Json;

using Microsoft.EntityFrameworkCore;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Sla;
using Otklik.Core.Text;
using Otklik.Data;

namespace Otklik.Application.Policy;

/// <summary>
/// Replays the stored appeals of a period through a candidate policy, each with the gate snapshot
/// stored at its receipt, and counts per rule and reason code how many decisions would change, with
/// examples. The store is read as one stream; decisions are worked out on every core.
/// </summary>
public sealed class PolicySimulator(OtklikDbContext db, AdmissionGate gate, SlaClock clock)
{
    public const int ExamplesPerKey = 5;

    /// <summary>One stored appeal as the replay needs it.</summary>
    public sealed record StoredAppeal(
        string AppealId, Channel Channel, RequesterRole Role, string? OrderNumber, string ProblemType, Demand? Demand, string Text,
        string AttachmentsJson, string ClaimedJson, DateTimeOffset ReceivedAt, Outcome Outcome, string? DecidedBy, string? Reason, JsonText ContextJson);

    /// <summary>A decision reduced to what a policy change can move: the outcome, the rule that decided, its reason.</summary>
    public readonly record struct DecisionKey(Outcome Outcome, string? Rule, string? Reason)
    {
        public override string ToString() => Rule is null ? WireName.Of(Outcome) : $"{WireName.Of(Outcome)} · {Rule} · {Reason}";
    }

    public sealed record Example(string AppealId, DecisionKey Before, DecisionKey After);

    /// <summary>Per rule and reason: decisions it made before and would make now; how many moved to it and away from it.</summary>
    public sealed record Row(string Rule, string? Reason, int Before, int After, int Gained, int Lost, IReadOnlyList<Example> Examples);

    public sealed record Result(int Total, int Changed, int WithoutSnapshot, IReadOnlyList<Row> Rows, double Seconds);

    public readonly record struct Progress(int Done, int Total);

    public static DecisionKey Before(StoredAppeal a) => new(a.Outcome, a.DecidedBy, a.Reason);

    /// <summary>The decision <paramref name="policy"/> gives the appeal, from its stored snapshot.</summary>
    public static DecisionKey Replay(AdmissionGate gate, StoredAppeal a, GatePolicy policy, Func<DateTimeOffset, DateOnly> localDate)
    {
        var snapshot = JsonSerializer.Deserialize<GateSnapshot>(a.ContextJson.Utf8, OtklikJson.Options)
            ?? throw new InvalidOperationException($"Appeal {a.AppealId} has an empty snapshot.");
        var attachments = a.AttachmentsJson is "[]" or "" ? [] : JsonSerializer.Deserialize<List<AttachmentInfo>>(a.AttachmentsJson, OtklikJson.Options) ?? [];
        var claimed = a.ClaimedJson is "{}" or "" ? ClaimedData.None : JsonSerializer.Deserialize<ClaimedData>(a.ClaimedJson, OtklikJson.Options) ?? ClaimedData.None;
        var request = new AppealRequest(a.Channel, RequesterAddress.ForAccount(snapshot.RequesterKey), a.Role, a.OrderNumber, a.ProblemType, a.Demand,
            a.Text, attachments, claimed, a.ReceivedAt);
        var result = gate.Evaluate(snapshot.Restore(request, policy, NormalizedText.From(a.Text), localDate));
        return new DecisionKey(result.Outcome, result.DecidingRule, result.Decision?.Reason is { } reason ? WireName.Of(reason) : null);
    }

    public IQueryable<Appeal> Period(DateTimeOffset from, DateTimeOffset to) =>
        db.Appeals.AsNoTracking().Where(a => a.CreatedAt >= from && a.CreatedAt < to);

    public static IQueryable<StoredAppeal> Rows(IQueryable<Appeal> appeals) =>
        appeals.Where(a => a.ContextJson != null).Select(a => new StoredAppeal(a.AppealId, a.Channel, a.Role, a.OrderNumber, a.ProblemType, a.Demand, a.Text,
            a.AttachmentsJson, a.ClaimedJson, a.ReceivedAt, a.Outcome, a.DecidedBy, a.Reason, a.ContextJson!));

    public async Task<Result> RunAsync(DateTimeOffset from, DateTimeOffset to, GatePolicy candidate, IProgress<Progress>? progress, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var period = Period(from, to);
        var total = await period.CountAsync(ct);
        var withSnapshot = await period.CountAsync(a => a.ContextJson != null, ct);
        var workers = Math.Max(1, Environment.ProcessorCount);
        var queue = System.Threading.Channels.Channel.CreateBounded<StoredAppeal[]>(new System.Threading.Channels.BoundedChannelOptions(workers * 4) { SingleWriter = true });
        var tallies = Enumerable.Range(0, workers).Select(_ => new Tally()).ToArray();
        var done = 0;
        var consumers = tallies.Select(tally => Task.Run(async () =>
        {
            await foreach (var batch in queue.Reader.ReadAllAsync(ct))
            {
                foreach (var appeal in batch)
                {
                    tally.Add(appeal.AppealId, Before(appeal), Replay(gate, appeal, candidate, clock.LocalDate));
                }
                var now = Interlocked.Add(ref done, batch.Length);
                progress?.Report(new Progress(now, withSnapshot));
            }
        }, ct)).ToArray();
        try
        {
            const int BatchSize = 512;
            var buffer = new List<StoredAppeal>(BatchSize);
            await foreach (var row in Rows(period).AsAsyncEnumerable().WithCancellation(ct))
            {
                buffer.Add(row);
                if (buffer.Count == BatchSize)
                {
                    await queue.Writer.WriteAsync([.. buffer], ct);
                    buffer.Clear();
                }
            }
            if (buffer.Count > 0)
            {
                await queue.Writer.WriteAsync([.. buffer], ct);
            }
        }
        finally
        {
            queue.Writer.TryComplete();
        }
        await Task.WhenAll(consumers);
        var merged = Tally.Merge(tallies);
        return new Result(withSnapshot, merged.Changed, total - withSnapshot, merged.Rows(), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Counts for one worker; merged at the end, so workers never share a lock.</summary>
    public sealed class Tally
    {
        private readonly Dictionary<(string Rule, string? Reason), (int Before, int After, int Gained, int Lost, List<Example> Examples)> _rows = [];

        public int Changed { get; private set; }

        public void Add(string appealId, DecisionKey before, DecisionKey after)
        {
            var beforeKey = (before.Rule ?? "none", before.Reason);
            var afterKey = (after.Rule ?? "none", after.Reason);
            Bump(beforeKey, b: 1);
            Bump(afterKey, a: 1);
            if (before == after)
            {
                return;
            }
            Changed++;
            var example = new Example(appealId, before, after);
            Bump(beforeKey, lost: 1, example: example);
            Bump(afterKey, gained: 1, example: example);
        }

        private void Bump((string, string?) key, int b = 0, int a = 0, int gained = 0, int lost = 0, Example? example = null)
        {
            var row = _rows.TryGetValue(key, out var r) ? r : (0, 0, 0, 0, new List<Example>());
            if (example is not null && row.Item5.Count < ExamplesPerKey && !row.Item5.Contains(example))
            {
                row.Item5.Add(example);
            }
            _rows[key] = (row.Item1 + b, row.Item2 + a, row.Item3 + gained, row.Item4 + lost, row.Item5);
        }

        public static Tally Merge(IEnumerable<Tally> tallies)
        {
            var merged = new Tally();
            foreach (var t in tallies)
            {
                merged.Changed += t.Changed;
                foreach (var (key, (b, a, gained, lost, examples)) in t._rows)
                {
                    var row = merged._rows.TryGetValue(key, out var r) ? r : (0, 0, 0, 0, new List<Example>());
                    row.Item5.AddRange(examples.Take(ExamplesPerKey - row.Item5.Count));
                    merged._rows[key] = (row.Item1 + b, row.Item2 + a, row.Item3 + gained, row.Item4 + lost, row.Item5);
                }
            }
            return merged;
        }

        public IReadOnlyList<Row> Rows() =>
            [.. _rows.Select(kv => new Row(kv.Key.Rule, kv.Key.Reason, kv.Value.Before, kv.Value.After, kv.Value.Gained, kv.Value.Lost, kv.Value.Examples))
                .OrderByDescending(r => r.Gained + r.Lost).ThenBy(r => r.Rule, StringComparer.Ordinal).ThenBy(r => r.Reason, StringComparer.Ordinal)];
    }
}
