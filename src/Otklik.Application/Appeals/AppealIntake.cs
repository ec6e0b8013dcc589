using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Otklik.Application.Policy;
using Otklik.Application.Tickets;
using Otklik.Core;
using Otklik.Core.Appeals;
using Otklik.Core.Gate;
using Otklik.Core.Policy;
using Otklik.Core.Requesters;
using Otklik.Core.Text;
using Otklik.Core.Tickets;
using Otklik.Data;
using Otklik.Data.Embedded;

namespace Otklik.Application.Appeals;

/// <summary>
/// Takes one appeal through the gate and stores the appeal, its decision and the ticket change in
/// one transaction before anyone is answered. A retry with the same key gets the first decision.
/// </summary>
public sealed partial class AppealIntake(
    PolicyProvider policies,
    GateContextLoader loader,
    AdmissionGate gate,
    TicketFactory tickets,
    Sla.LadderNotices notices,
    StoreWriteGate writeGate,
    Load.LoadMonitor load,
    TimeProvider time,
    OtklikMetrics metrics,
    ILogger<AppealIntake> logger,
    IntakeCommitter? committer = null,
    Otklik.Data.Postgres.PostgresIntakeStore? postgres = null)
{
    private const int MaxAttempts = 3;

    public async Task<IntakeResult> SubmitAsync(AppealSubmission submission, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        if (committer is not null)
        {
            return await SubmitEmbeddedAsync(committer, submission, started, ct);
        }
        if (postgres is not null)
        {
            return await SubmitPostgresAsync(postgres, submission, started, ct);
        }
        throw new InvalidOperationException("No intake store is registered (AddOtklikApplication registers one for each store).");
    }

    /// <summary>
    /// The embedded store's intake. SQLite has one writer, so the whole decision runs there: the
    /// idempotency check, the reads, the gate and the writes of one appeal happen inside the group
    /// commit's transaction on the writer's connection, whose page cache stays warm and whose view
    /// nobody else can change meanwhile (no requester lock, no lost races, exact quotas even with a
    /// second process on the file); a requester's history comes from the writer's memory when it served
    /// them lately (<see cref="CachingIntakeSession"/>). Same rules and rows as PostgreSQL's path.
    /// </summary>
    private async Task<IntakeResult> SubmitEmbeddedAsync(IntakeCommitter commits, AppealSubmission submission, long started, CancellationToken ct)
    {
        var policy = policies.Current;
        var type = policy.FindProblemType(submission.Request.ProblemType) ?? policy.FindProblemType("other")!;
        var text = NormalizedText.From(submission.Request.Text);
        // The load level: a count is started here when due, off the writer; the last figure decides meanwhile.
        await load.CurrentAsync(policy, ct, Load.LoadMonitor.Freshness.Recent);
        var urgent = PriorityClassifier.IsP1BySubject(policy, type, submission.Request.Demand);
        // What depends on the request alone is written here, in parallel, not on the store's single writer.
        var parts = RequestParts.Of(submission.Request);
        var result = await commits.WriteAsync(session => DecideAndStoreAsync(session, submission, type, text, parts, policy, ct), urgent);
        if (result.Status == IntakeStatus.Created)
        {
            Committed(result.Decision!.Outcome);
            return Created(submission, result.Appeal!, result.Decision, started);
        }
        return result;
    }

    /// <summary>
    /// PostgreSQL's intake: one transaction an appeal on a connection of its own, through plain
    /// prepared statements (<see cref="Otklik.Data.Postgres.PostgresIntakeStore"/>) rather than EF Core.
    /// The requester's advisory lock, taken before anything is read, orders one person's appeals
    /// across nodes; a lost race (an idempotency key or a ticket another node got to first) is decided
    /// again from the start, or replayed.
    /// </summary>
    private async Task<IntakeResult> SubmitPostgresAsync(Otklik.Data.Postgres.PostgresIntakeStore store, AppealSubmission submission, long started, CancellationToken ct)
    {
        var policy = policies.Current;
        var type = policy.FindProblemType(submission.Request.ProblemType) ?? policy.FindProblemType("other")!;
        var text = NormalizedText.From(submission.Request.Text);
        await load.CurrentAsync(policy, ct, Load.LoadMonitor.Freshness.Recent);
        var parts = RequestParts.Of(submission.Request);
        // One sender's appeals queue here, in process, before they take one of the pool's few connections:
        // a burst from one address must not hold them all while it waits for its own lock in PostgreSQL.
        using var entered = await writeGate.EnterRequesterAsync(submission.Request.Requester.Key, ct);
        for (var attempt = 1; ; attempt++)
        {
            var session = await store.OpenAsync(submission.ClientName, submission.IdempotencyKey, ct);
            await using (session)
            {
                try
                {
                    // Taken before the requester's lock in PostgreSQL, since the early history is asked as of it; this
                    // node's appeals of the sender are already in order (the lock above), so only a race with another
                    // node's can leave two appeals' times the other way round, by that wait.
                    var now = time.GetUtcNow();
                    if (submission.Request.Requester.IsAccount)
                    {
                        // An account is its own requester: its lock and history can go with the read of the
                        // account itself, one round trip for all (if the account is unknown or its role
                        // differs, the history sent early differs from the one asked for and is read again).
                        var key = submission.Request.Requester.Key;
                        await session.LockRequesterAsync(RequesterLocks.StableHash(key), ct);
                        session.Prefetch(GateContextLoader.HistoryQueryFor(submission.Request.Requester.Value, key, submission.Request, policy, text, now));
                    }
                    var who = await Resolve(session, submission, ct);
                    var result = await DecideAndStoreAsync(session, submission, who, type, text, parts, policy, now, ct);
                    await session.CommitAsync(ct);
                    if (result.Status == IntakeStatus.Created)
                    {
                        Committed(result.Decision!.Outcome);
                        return Created(submission, result.Appeal!, result.Decision, started);
                    }
                    return result;
                }
                catch (StoreConflictException ex) when (attempt < MaxAttempts)
                {
                    LogRetry(attempt, ex.Message);
                }
            }
        }
    }

    private async ValueTask<IntakeResult> DecideAndStoreAsync(IIntakeSession session, AppealSubmission submission, ProblemTypeDefinition type, NormalizedText text, RequestParts parts, GatePolicy policy, CancellationToken ct) =>
        await DecideAndStoreAsync(session, submission, await Resolve(session, submission, ct), type, text, parts, policy, time.GetUtcNow(), ct);

    /// <summary>The intake inside a store's transaction, the same on both stores: lock, replay or decide, write.</summary>
    private async ValueTask<IntakeResult> DecideAndStoreAsync(IIntakeSession session, AppealSubmission submission, GateContextLoader.Resolved who, ProblemTypeDefinition type, NormalizedText text, RequestParts parts, GatePolicy policy, DateTimeOffset now, CancellationToken ct)
    {
        await session.LockRequesterAsync(RequesterLocks.StableHash(who.RequesterKey), ct);
        var known = WithKnownRole(submission, who);
        var request = known.Request;
        // Read first, then checked for a replay: a store that pays per round trip sends the check with the
        // reads (a retried appeal reads for nothing, a rare case).
        var context = await loader.LoadAsync(session, who, request, type, policy, text, now, ct);
        if (await session.FindAppealAsync(submission.ClientName, submission.IdempotencyKey, ct) is { } existing)
        {
            return Replay(existing, submission);
        }
        submission = known;
        var result = gate.Evaluate(context);
        var appealId = Ids.New("ap", now);
        Ticket? full = null;
        if (result.Outcome is Outcome.Merged or Outcome.Reopened)
        {
            var seen = result.Decision!.Value.Ticket!;
            full = await session.FullTicketAsync(seen.Seq, ct) ?? throw new StoreConflictException($"Ticket {seen.TicketId} is gone");
        }
        var changes = Apply(result, context, request, policy, text, appealId, now,
            context.RateUpdatedAt is { } at ? RateBucket.Restore(context.RequesterKey, context.RateTokens, at) : null, full);
        var ticket = changes.Ticket;
        if (changes.TicketIsNew)
        {
            await session.InsertTicketAsync(ticket!, ct);
        }
        else if (ticket is not null)
        {
            await session.UpdateTicketAsync(ticket, changes.EventsBefore, changes.MessagesBefore, ct);
        }
        if (changes.Bucket is { } bucket)
        {
            await session.SaveBucketAsync(bucket, context.RateUpdatedAt, ct);
        }
        if (changes.FlagAccountId is { } flagged)
        {
            await session.FlagForReviewAsync(flagged, ct);
        }
        var decision = DecisionComposer.Compose(result, context, ticket is null ? null : DecisionComposer.Ref(ticket), ticket?.FirstResponseDue, changes.Eta);
        var appeal = NewAppeal(submission, parts, context, who, type, text, policy, result, decision, appealId, now, ticket);
        await session.InsertAppealAsync(appeal, ct);
        return new IntakeResult(IntakeStatus.Created, appeal, decision);
    }

    private static AppealSubmission WithKnownRole(AppealSubmission submission, GateContextLoader.Resolved who) =>
        !submission.RoleGiven && who.Account is { } known && known.Role != submission.Request.Role
            ? submission with { Request = submission.Request with { Role = known.Role } }
            : submission;

    private IntakeResult Created(AppealSubmission submission, Appeal appeal, Decision decision, long started)
    {
        metrics.Decided(decision, submission.Request.Channel, Stopwatch.GetElapsedTime(started).TotalSeconds);
        LogDecided(appeal.AppealId, WireName.Of(submission.Request.Channel), WireName.Of(decision.Outcome), decision.DecidedBy ?? "-");
        return new IntakeResult(IntakeStatus.Created, appeal, decision);
    }

    private void Committed(Outcome outcome)
    {
        if (outcome == Outcome.Accepted)
        {
            load.TicketOpened();
        }
        else if (outcome == Outcome.Reopened)
        {
            load.Invalidate();
        }
    }

    private async Task<GateContextLoader.Resolved> Resolve(IGateContextSource source, AppealSubmission submission, CancellationToken ct)
    {
        var who = await loader.ResolveAsync(source, submission.Request.Requester, ct);
        return submission.SenderAuthenticated ? who : who with { Verified = false };
    }

    /// <summary>What a gate result changes, worked out in memory; the store's session then saves it.</summary>
    private sealed record Changes(Ticket? Ticket, bool TicketIsNew, int EventsBefore, int MessagesBefore, RateBucket? Bucket, string? FlagAccountId, DateTimeOffset? Eta);

    /// <param name="bucket">The requester's rate bucket as the gate saw it, if they have one.</param>
    /// <param name="full">The whole ticket behind the one the gate saw (the gate reads only its facts), when it merges or reopens one.</param>
    private Changes Apply(GateResult result, GateContext context, AppealRequest request, GatePolicy policy, NormalizedText text, string appealId, DateTimeOffset now,
        RateBucket? bucket, Ticket? full)
    {
        var thresholds = context.Thresholds;
        switch (result.Outcome)
        {
            case Outcome.Accepted:
                var opened = tickets.Open(Opening(request, context, result.Priority, text, appealId, result.FollowUpOf?.TicketId), policy);
                return new Changes(opened, true, 0, 0, TakeToken(bucket, context.RequesterKey, now, thresholds), null, null);
            case Outcome.Merged:
            case Outcome.Reopened:
                var ticket = full ?? throw new InvalidOperationException("A merge or reopen needs the whole ticket");
                var (events, messages) = (ticket.Events.Count, ticket.Messages.Count);
                if (result.Outcome == Outcome.Merged)
                {
                    ticket.AddCustomerMessage(request.Channel, request.Text, now, appealId, merged: true);
                }
                else
                {
                    ticket.Reopen(now, tickets.ReopenDue(now, policy));
                    ticket.AddCustomerMessage(request.Channel, request.Text, now, appealId);
                    // From the second reopen on the customer gets the escalation routes, documents included (gate.md rule 12).
                    if (ticket.ReopenCount >= 2 && ticket.ClaimOfferedAt is null)
                    {
                        ticket.OfferClaim(now, "reopened_twice", notices.EscalationRoutes(ticket));
                    }
                }
                return new Changes(ticket, false, events, messages, null, null, null);
            case Outcome.Deferred:
                return new Changes(null, false, 0, 0, TakeToken(bucket, context.RequesterKey, now, thresholds), null, EstimateAdmission(context, result.Priority, now));
            case Outcome.Rejected when result.Decision!.Value.Reason == ReasonCode.SpamSuspected && context.Account is { } flagged:
                return new Changes(null, false, 0, 0, null, flagged.AccountId, null);
            default:
                return new Changes(null, false, 0, 0, null, null, null);
        }
    }

    /// <summary>The parts of an appeal's row that are the request's own, as stored.</summary>
    private readonly record struct RequestParts(string AttachmentsJson, string ClaimedJson)
    {
        public static RequestParts Of(AppealRequest request) =>
            new(JsonSerializer.Serialize(request.Attachments, OtklikJson.Options), JsonSerializer.Serialize(request.Claimed, OtklikJson.Options));
    }

    private static Appeal NewAppeal(AppealSubmission submission, RequestParts parts, GateContext context, GateContextLoader.Resolved who, ProblemTypeDefinition type, NormalizedText text,
        GatePolicy policy, GateResult result, Decision decision, string appealId, DateTimeOffset now, Ticket? ticket)
    {
        var request = submission.Request;
        return new Appeal
        {
            AppealId = appealId,
            ClientName = submission.ClientName,
            IdempotencyKey = submission.IdempotencyKey,
            RequestHash = submission.RequestHash,
            Channel = request.Channel,
            RequesterKey = context.RequesterKey,
            AccountId = who.Account?.AccountId,
            Role = request.Role,
            OrderNumber = context.OrderNumber,
            ProblemType = type.Code,
            Demand = request.Demand,
            Text = request.Text,
            TextStems = text.StemsJoined.Length > Ticket.MaxStemsLength ? text.StemsJoined[..Ticket.MaxStemsLength] : text.StemsJoined,
            TextFingerprint = unchecked((long)text.Fingerprint),
            AttachmentsJson = parts.AttachmentsJson,
            ClaimedJson = parts.ClaimedJson,
            RequestJson = submission.RequestJson,
            ReceivedAt = request.ReceivedAt,
            CreatedAt = now,
            Outcome = decision.Outcome,
            Priority = decision.Priority,
            PolicyVersion = policy.Version,
            DecidedBy = decision.DecidedBy,
            DecisionJson = OtklikJson.SerializeStored(decision),
            Reason = result.Decision is { Reason: { } reason } ? WireName.Of(reason) : null,
            ContextJson = OtklikJson.SerializeStored(GateSnapshot.Of(context)),
            TicketId = ticket?.TicketId,
            AwaitingAdmission = decision.Outcome == Outcome.Deferred,
        };
    }

    internal static TicketFactory.Opening Opening(AppealRequest request, GateContext context, PriorityClass priority, NormalizedText text, string appealId, string? followUpOf) =>
        new(context.Account?.AccountId, context.RequesterKey, request.Role, context.OrderNumber, context.ProblemType.Code, request.Demand,
            request.Channel, priority, request.ReceivedAt, request.Text, text.StemsJoined, appealId, followUpOf,
            context.Order is { } order && order.AccountId == context.Account?.AccountId ? order.PriceRub : null);

    /// <summary>
    /// When the backlog would fall below the class's threshold at the current capacity, assuming no
    /// new work: the backlog is already measured in hours of agent work per agent.
    /// </summary>
    private static DateTimeOffset EstimateAdmission(GateContext context, PriorityClass priority, DateTimeOffset now)
    {
        var threshold = context.Policy.LoadLevels.ThresholdFor(priority);
        var hours = context.Load.BacklogHours - threshold;
        if (double.IsInfinity(hours) || double.IsNaN(hours))
        {
            hours = 1; // nobody online: check again within the hour
        }
        return now.AddHours(Math.Clamp(hours, 0.25, 24 * 7));
    }

    private static RateBucket TakeToken(RateBucket? read, string requesterKey, DateTimeOffset now, RuleThresholds thresholds)
    {
        var bucket = read ?? RateBucket.Full(requesterKey, thresholds.RateBurst, now);
        bucket.Take(now, thresholds.RateBurst, thresholds.RateRefillPerDay);
        return bucket;
    }

    private static IntakeResult Replay(Appeal appeal, AppealSubmission submission) =>
        appeal.RequestHash == submission.RequestHash
            ? new IntakeResult(IntakeStatus.Replayed, appeal, AppealQueries.DecisionOf(appeal))
            : new IntakeResult(IntakeStatus.Conflict, appeal, null);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Appeal {AppealId} via {Channel}: {Outcome} (decided by {Rule})")]
    private partial void LogDecided(string appealId, string channel, string outcome, string rule);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Intake attempt {Attempt} lost a race ({Error}); deciding again")]
    private partial void LogRetry(int attempt, string error);
}
