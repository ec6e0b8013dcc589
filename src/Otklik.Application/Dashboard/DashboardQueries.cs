using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Otklik.Application.Load;
using Otklik.Application.Policy;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Tickets;
using Otklik.Data;

namespace Otklik.Application.Dashboard;

/// <summary>
/// What a supervisor watches, for a time range: intake by channel and outcome, reasons over time, the
/// load and the deferred queue, SLA compliance, breaches and escalations, and what each rule costs
/// customers — its false-block rate (held appeals later overridden, or sent again and accepted).
/// </summary>
public sealed class DashboardQueries(OtklikDbContext db, LoadMonitor load, PolicyProvider policies, TimeProvider time)
{
    /// <summary>How long after a hold a resubmission that is accepted still counts against the rule.</summary>
    public static readonly TimeSpan ResubmitWindow = TimeSpan.FromDays(7);

    public sealed record Range(DateTimeOffset From, DateTimeOffset To, TimeSpan Bucket);

    public sealed record ChannelOutcome(string Channel, string Outcome, int Count);

    public sealed record Bucket(DateTimeOffset Start, IReadOnlyDictionary<string, int> Counts);

    public sealed record LoadView(string Level, double? BacklogHours, int OpenTickets, int AgentsOnline, int Deferred, DateTimeOffset? OldestDeferred, DateTimeOffset? DeferredEta);

    public sealed record Compliance(string Clock, int Due, int Met, double? Rate);

    public sealed record RuleCost(string Rule, int Held, int Overridden, int ResubmittedAccepted, double FalseBlockRate);

    public sealed record Summary(
        Range Range, int Appeals, IReadOnlyList<ChannelOutcome> Intake, IReadOnlyList<Bucket> OutcomesOverTime, IReadOnlyList<Bucket> ReasonsOverTime,
        LoadView Load, IReadOnlyList<Compliance> Sla, IReadOnlyDictionary<string, int> LadderEvents, IReadOnlyList<RuleCost> FalseBlocks);

    public static Range RangeFor(string? name, DateTimeOffset now) => name switch
    {
        "24h" => new(now.AddHours(-24), now, TimeSpan.FromHours(1)),
        "30d" => new(now.AddDays(-30), now, TimeSpan.FromDays(1)),
        _ => new(now.AddDays(-7), now, TimeSpan.FromDays(1)),
    };

    public async Task<Summary> GetAsync(Range range, CancellationToken ct)
    {
        var appeals = await db.Appeals.AsNoTracking().Where(a => a.CreatedAt >= range.From && a.CreatedAt < range.To)
            .Select(a => new { a.CreatedAt, a.Channel, a.Outcome, a.Reason, a.DecidedBy, a.RequesterKey, a.OrderNumber, a.ProblemType, Overridden = a.OverriddenAt != null })
            .ToListAsync(ct);
        var intake = appeals.GroupBy(a => (a.Channel, a.Outcome))
            .Select(g => new ChannelOutcome(WireName.Of(g.Key.Channel), WireName.Of(g.Key.Outcome), g.Count()))
            .OrderBy(c => c.Channel, StringComparer.Ordinal).ThenBy(c => c.Outcome, StringComparer.Ordinal).ToList();
        var outcomes = Buckets(range, appeals.Select(a => (a.CreatedAt, WireName.Of(a.Outcome))));
        var reasons = Buckets(range, appeals.Where(a => a.Reason is not null).Select(a => (a.CreatedAt, a.Reason!)));

        // False blocks: a held appeal that an agent overrode, or whose requester came back about the same
        // order and problem within the window and was accepted.
        var held = appeals.Where(a => a.Outcome is Outcome.NeedsInfo or Outcome.Rejected && a.DecidedBy is not null).ToList();
        var heldRequesters = held.Select(a => a.RequesterKey).Distinct().ToList();
        var accepted = heldRequesters.Count == 0 ? [] : await db.Appeals.AsNoTracking()
            .Where(a => heldRequesters.Contains(a.RequesterKey) && a.CreatedAt >= range.From && a.CreatedAt < range.To + ResubmitWindow
                && (a.Outcome == Outcome.Accepted || a.Outcome == Outcome.Merged || a.Outcome == Outcome.Reopened))
            .Select(a => new { a.RequesterKey, a.OrderNumber, a.ProblemType, a.CreatedAt }).ToListAsync(ct);
        var acceptedBy = accepted.ToLookup(a => (a.RequesterKey, a.OrderNumber, a.ProblemType));
        var costs = held.GroupBy(a => a.DecidedBy!).Select(g =>
        {
            var overridden = g.Count(a => a.Overridden);
            var resubmitted = g.Count(a => !a.Overridden && acceptedBy[(a.RequesterKey, a.OrderNumber, a.ProblemType)].Any(x => x.CreatedAt >= a.CreatedAt && x.CreatedAt <= a.CreatedAt + ResubmitWindow));
            return new RuleCost(g.Key, g.Count(), overridden, resubmitted, Math.Round((double)(overridden + resubmitted) / g.Count(), 4));
        }).OrderByDescending(c => c.FalseBlockRate).ThenBy(c => c.Rule, StringComparer.Ordinal).ToList();

        return new Summary(range, appeals.Count, intake, outcomes, reasons, await LoadAsync(ct), await ComplianceAsync(range, ct), await LadderAsync(range, ct), costs);
    }

    private async Task<LoadView> LoadAsync(CancellationToken ct)
    {
        var snapshot = await load.CurrentAsync(policies.Current, ct);
        var waiting = await db.Appeals.AsNoTracking().AwaitingAdmission().Select(a => new { a.ReceivedAt, a.DecisionJson }).ToListAsync(ct);
        DateTimeOffset? eta = null;
        foreach (var w in waiting)
        {
            using var doc = JsonDocument.Parse(w.DecisionJson.Utf8Memory);
            if (doc.RootElement.TryGetProperty("eta", out var e) && e.ValueKind == JsonValueKind.String && e.TryGetDateTimeOffset(out var at) && (eta is null || at > eta))
            {
                eta = at;
            }
        }
        return new LoadView(WireName.Of(snapshot.Level), double.IsFinite(snapshot.BacklogHours) ? Math.Round(snapshot.BacklogHours, 1) : null, snapshot.OpenTickets, snapshot.AgentsOnline,
            waiting.Count, waiting.Count == 0 ? null : waiting.Min(w => w.ReceivedAt), eta);
    }

    /// <summary>Of the tickets opened in the range whose clock has run out or stopped, how many met it (counted in the store).</summary>
    private async Task<IReadOnlyList<Compliance>> ComplianceAsync(Range range, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var opened = db.Tickets.AsNoTracking().Where(t => t.CreatedAt >= range.From && t.CreatedAt < range.To);
        var firstDue = await opened.CountAsync(t => t.FirstRespondedAt != null || t.FirstResponseDue <= now, ct);
        var firstMet = await opened.CountAsync(t => t.FirstRespondedAt != null && t.FirstRespondedAt <= t.FirstResponseDue, ct);
        var resolutionDue = await opened.CountAsync(t => t.SolvedAt != null || t.ResolutionDue <= now, ct);
        var resolutionMet = await opened.CountAsync(t => t.SolvedAt != null && t.SolvedAt <= t.ResolutionDue, ct);
        var legalDue = await opened.CountAsync(t => t.LegalDeadline != null && (t.SolvedAt != null || t.LegalDeadline <= now), ct);
        var legalMet = await opened.CountAsync(t => t.LegalDeadline != null && t.SolvedAt != null && t.SolvedAt <= t.LegalDeadline, ct);
        return [Rate("first_response", firstDue, firstMet), Rate("resolution", resolutionDue, resolutionMet), Rate("legal", legalDue, legalMet)];

        static Compliance Rate(string clock, int due, int met) => new(clock, due, met, due == 0 ? null : Math.Round((double)met / due, 4));
    }

    private async Task<IReadOnlyDictionary<string, int>> LadderAsync(Range range, CancellationToken ct)
    {
        TicketEventKind[] kinds = [TicketEventKind.FirstResponseWarning, TicketEventKind.FirstResponseBreached, TicketEventKind.LegalQueue, TicketEventKind.SystematicallyUnanswered, TicketEventKind.Reopened];
        var counts = await db.TicketEvents.AsNoTracking().Where(e => e.At >= range.From && e.At < range.To && kinds.Contains(e.Kind))
            .GroupBy(e => e.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return kinds.ToDictionary(k => WireName.Of(k), k => counts.FirstOrDefault(c => c.Key == k)?.Count ?? 0);
    }

    private static List<Bucket> Buckets(Range range, IEnumerable<(DateTimeOffset At, string Key)> items)
    {
        var n = (int)Math.Ceiling((range.To - range.From) / range.Bucket);
        var counts = Enumerable.Range(0, n).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        foreach (var (at, key) in items)
        {
            var i = Math.Clamp((int)((at - range.From) / range.Bucket), 0, n - 1);
            counts[i][key] = counts[i].GetValueOrDefault(key) + 1;
        }
        return [.. counts.Select((c, i) => new Bucket(range.From + (range.Bucket * i), c))];
    }
}
