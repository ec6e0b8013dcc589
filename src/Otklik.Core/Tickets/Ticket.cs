using Otklik.Core.Appeals;
using Otklik.Core.Requesters;

namespace Otklik.Core.Tickets;

/// <summary>An accepted unit of work: conversation, queue, priority, status and SLA clocks.</summary>
public sealed class Ticket
{
    public const int MaxStemsLength = 2000;

    /// <summary>Database sequence; also the human number T-000123.</summary>
    public long Seq { get; private set; }
    public required string TicketId { get; init; }
    public TicketStatus Status { get; private set; } = TicketStatus.Open;
    public Queue Queue { get; set; }
    public PriorityClass Priority { get; set; }
    public string? AccountId { get; init; }
    public required string RequesterKey { get; init; }
    public RequesterRole Role { get; init; }
    public string? OrderNumber { get; init; }
    public required string ProblemType { get; init; }
    public Demand? Demand { get; init; }
    public Channel Channel { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? SolvedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public int ReopenCount { get; private set; }
    public string? FollowUpOf { get; init; }

    /// <summary>Stems of the first customer text, for near-duplicate detection (rule 11).</summary>
    public string TextStems { get; set; } = "";

    public DateTimeOffset FirstResponseDue { get; set; }
    public DateTimeOffset? FirstRespondedAt { get; private set; }
    public DateTimeOffset ResolutionDue { get; set; }
    public DateTimeOffset? LegalDeadline { get; set; }
    public DateTimeOffset? PendingSince { get; private set; }
    public int PendingBusinessDays { get; private set; }

    /// <summary>When 80 % of the first-response window is used (ladder step 1).</summary>
    public DateTimeOffset FirstResponseWarnAt { get; set; }
    public DateTimeOffset? WarnedAt { get; private set; }
    public int FirstResponseBreaches { get; private set; }
    public DateTimeOffset? FirstResponseBreachedAt { get; private set; }
    public DateTimeOffset? LegalQueuedAt { get; private set; }

    /// <summary>Set when the ticket is "systematically unanswered" (ladder step 4): claim documents are offered from then on.</summary>
    public DateTimeOffset? ClaimOfferedAt { get; private set; }
    public string? ClaimOfferReason { get; private set; }
    public DateTimeOffset? LastAgentReplyAt { get; private set; }

    /// <summary>Appeals that landed on this ticket (the first, merges, reopens).</summary>
    public int AppealCount { get; set; } = 1;

    /// <summary>The statutory article and penalty of the demand, and the order's price, fixed when the ticket opened.</summary>
    public string? LegalArticle { get; set; }
    public decimal PenaltyPercentPerDay { get; set; }
    public decimal? PriceRub { get; set; }

    public List<TicketEvent> Events { get; } = [];

    /// <summary>The agent who owns the ticket now; null while it waits in its queue.</summary>
    public string? Assignee { get; private set; }

    /// <summary>Hands the ticket to another queue and/or agent; recorded on the timeline.</summary>
    public void Reassign(Queue queue, string? assignee, string by, DateTimeOffset at)
    {
        if (queue == Queue && assignee == Assignee)
        {
            return;
        }
        Record(TicketEventKind.Reassigned, at, $"{Queue}/{Assignee ?? "-"} → {queue}/{assignee ?? "-"} by {by}".ToLowerInvariant());
        Queue = queue;
        Assignee = assignee;
        Touch(at);
    }

    /// <summary>
    /// Moves this ticket's conversation into <paramref name="target"/> (same requester) and closes this
    /// one, pointing at the target; the customer's history stays whole.
    /// </summary>
    public void MergeInto(Ticket target, string by, DateTimeOffset at)
    {
        foreach (var m in Messages.OrderBy(m => m.At))
        {
            target.Messages.Add(new TicketMessage { Author = m.Author, Channel = m.Channel, Text = m.Text, At = m.At, Internal = m.Internal, AppealId = m.AppealId, AuthorName = m.AuthorName });
        }
        target.AppealCount += AppealCount;
        target.Record(TicketEventKind.Merged, at, $"{Number} merged in by {by}");
        target.Touch(at);
        AddSystemNote($"Merged into {target.Number} by {by}", at);
        Record(TicketEventKind.Merged, at, $"merged into {target.Number}");
        ChangeStatus(TicketStatus.Closed, at, (_, _) => 0, (d, _) => d);
    }

    /// <summary>Optimistic concurrency: two nodes changing one ticket never both win.</summary>
    public long Version { get; set; }

    public List<TicketMessage> Messages { get; } = [];

    public string Number => FormatNumber(Seq);

    /// <summary>The facts the gate matches a new appeal against, as they were when that appeal arrived.</summary>
    public Gate.TicketFacts Facts() => new(TicketId, Seq, Status, Queue, Priority, OrderNumber, ProblemType, TextStems, CreatedAt, UpdatedAt, SolvedAt, ClosedAt, ReopenCount, AccountId, RequesterKey);

    public static string FormatNumber(long seq) => "T-" + seq.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public void AddCustomerMessage(Channel channel, string text, DateTimeOffset at, string? appealId, bool merged = false)
    {
        if (merged)
        {
            AppealCount++;
        }
        Messages.Add(new TicketMessage { Author = MessageAuthor.Customer, Channel = channel, Text = text, At = at, AppealId = appealId });
        Touch(at);
    }

    public void AddSystemNote(string text, DateTimeOffset at)
    {
        Messages.Add(new TicketMessage { Author = MessageAuthor.System, Channel = Channel, Text = text, At = at, Internal = true });
        Touch(at);
    }

    /// <summary>A public agent reply stops the first-response clock; an internal note does not.</summary>
    public void AddAgentMessage(string text, bool isInternal, string? agentName, DateTimeOffset at)
    {
        Messages.Add(new TicketMessage { Author = MessageAuthor.Agent, Channel = Channel, Text = text, At = at, Internal = isInternal, AuthorName = agentName });
        if (!isInternal)
        {
            FirstRespondedAt ??= at;
            LastAgentReplyAt = at;
        }
        Touch(at);
    }

    /// <summary>Reopens a recently solved ticket: one class more urgent, to the senior agents, fresh first response.</summary>
    public void Reopen(DateTimeOffset at, DateTimeOffset firstResponseDue)
    {
        ReopenCount++;
        Status = TicketStatus.Open;
        SolvedAt = null;
        ClosedAt = null;
        Priority = Priority.Raise();
        Queue = Queue.Escalations;
        SetFirstResponseDue(at, firstResponseDue);
        FirstRespondedAt = null;
        AppealCount++;
        Record(TicketEventKind.Reopened, at, $"reopen {ReopenCount}");
        Touch(at);
    }

    /// <summary>A new first-response target; the 80 % warning point moves with it.</summary>
    public void SetFirstResponseDue(DateTimeOffset from, DateTimeOffset due)
    {
        FirstResponseDue = due;
        FirstResponseWarnAt = from + (due - from) * 0.8;
        WarnedAt = null;
    }

    public void Record(TicketEventKind kind, DateTimeOffset at, string? detail = null) =>
        Events.Add(new TicketEvent { Kind = kind, At = at, Detail = detail });

    /// <summary>Ladder step 1: 80 % of the first-response window used.</summary>
    public void WarnFirstResponse(DateTimeOffset at)
    {
        WarnedAt = at;
        Record(TicketEventKind.FirstResponseWarning, at, $"due {FirstResponseDue:O}");
    }

    /// <summary>Ladder step 2: first response breached — one class more urgent, to escalations, a new due time the customer is told.</summary>
    public void BreachFirstResponse(DateTimeOffset at, DateTimeOffset newDue, string customerNotice)
    {
        FirstResponseBreaches++;
        FirstResponseBreachedAt = at;
        Record(TicketEventKind.FirstResponseBreached, at, $"was due {FirstResponseDue:O}; new due {newDue:O}");
        Priority = Priority.Raise();
        Queue = Queue.Escalations;
        SetFirstResponseDue(at, newDue);
        Messages.Add(new TicketMessage { Author = MessageAuthor.System, Channel = Channel, Text = customerNotice, At = at });
        Touch(at);
    }

    /// <summary>Ladder step 3: the legal deadline is near and the ticket is not solved.</summary>
    public void QueueLegal(DateTimeOffset at)
    {
        LegalQueuedAt = at;
        Queue = Queue.Legal;
        Record(TicketEventKind.LegalQueue, at, $"legal deadline {LegalDeadline:O}");
        Touch(at);
    }

    /// <summary>Ladder step 4: systematically unanswered — the customer gets the routes, claim documents among them.</summary>
    public void OfferClaim(DateTimeOffset at, string reason, string customerNotice)
    {
        ClaimOfferedAt = at;
        ClaimOfferReason = reason;
        Record(TicketEventKind.SystematicallyUnanswered, at, reason);
        Messages.Add(new TicketMessage { Author = MessageAuthor.System, Channel = Channel, Text = customerNotice, At = at });
        Touch(at);
    }

    /// <summary>Penalty exposure once the legal deadline has passed: whole calendar days late × price × rate, until solved.</summary>
    public decimal? PenaltyRub(Func<DateTimeOffset, DateOnly> localDate, DateTimeOffset now)
    {
        if (LegalDeadline is not { } deadline || PriceRub is not { } price || PenaltyPercentPerDay <= 0)
        {
            return null;
        }
        var until = Status is TicketStatus.Solved or TicketStatus.Closed ? (SolvedAt ?? ClosedAt ?? now) : now;
        var days = localDate(until).DayNumber - localDate(deadline).DayNumber;
        return days <= 0 ? 0 : decimal.Round(price * PenaltyPercentPerDay / 100m * days, 2);
    }

    /// <summary>
    /// Changes the status. Leaving <c>pending</c> moves the resolution due time by the whole
    /// business days spent waiting on the customer; <paramref name="pendingBusinessDays"/> counts them.
    /// </summary>
    public void ChangeStatus(TicketStatus status, DateTimeOffset at, Func<DateTimeOffset, DateTimeOffset, int> pendingBusinessDays, Func<DateTimeOffset, int, DateTimeOffset> addBusinessDays)
    {
        if (status == Status)
        {
            return;
        }
        if (Status == TicketStatus.Pending && PendingSince is { } since)
        {
            var days = pendingBusinessDays(since, at);
            if (days > 0)
            {
                PendingBusinessDays += days;
                ResolutionDue = addBusinessDays(ResolutionDue, days);
            }
            PendingSince = null;
        }
        switch (status)
        {
            case TicketStatus.Pending:
                PendingSince = at;
                break;
            case TicketStatus.Solved:
                SolvedAt = at;
                break;
            case TicketStatus.Closed:
                ClosedAt = at;
                break;
            case TicketStatus.Open:
                SolvedAt = null;
                ClosedAt = null;
                break;
        }
        Record(TicketEventKind.StatusChanged, at, $"{Status} → {status}".ToLowerInvariant());
        Status = status;
        Touch(at);
    }

    internal void Touch(DateTimeOffset at)
    {
        if (at > UpdatedAt)
        {
            UpdatedAt = at;
        }
    }
}
