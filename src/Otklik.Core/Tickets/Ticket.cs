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

    /// <summary>Optimistic concurrency: two nodes changing one ticket never both win.</summary>
    public long Version { get; set; }

    public List<TicketMessage> Messages { get; } = [];

    public string Number => FormatNumber(Seq);

    public static string FormatNumber(long seq) => "T-" + seq.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public bool RecentlySolved(DateTimeOffset now, TimeSpan window) =>
        Status == TicketStatus.Solved && SolvedAt is { } solved && now - solved <= window;

    public void AddCustomerMessage(Channel channel, string text, DateTimeOffset at, string? appealId)
    {
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
        if (!isInternal && FirstRespondedAt is null)
        {
            FirstRespondedAt = at;
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
        FirstResponseDue = firstResponseDue;
        FirstRespondedAt = null;
        Touch(at);
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
        Status = status;
        Touch(at);
    }

    private void Touch(DateTimeOffset at)
    {
        if (at > UpdatedAt)
        {
            UpdatedAt = at;
        }
    }
}
